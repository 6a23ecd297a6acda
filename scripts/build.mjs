// Bundles the four entry points with esbuild. `vscode` is provided by the editor; the
// `webgpu` package is a native module and stays external so its dawn.node is found.
import { build } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';

const entries = [
  { in: 'client/src/extension.ts', out: 'dist/extension.js', platform: 'node', format: 'cjs' },
  { in: 'server/src/lsp/main.ts', out: 'dist/server.js', platform: 'node', format: 'cjs' },
  { in: 'cli/src/main.ts', out: 'dist/cli.js', platform: 'node', format: 'cjs', banner: '#!/usr/bin/env node' },
  { in: 'webview/src/main.ts', out: 'dist/webview.js', platform: 'browser', format: 'iife' },
];

mkdirSync('dist', { recursive: true });
const watch = process.argv.includes('--watch');
await Promise.all(
  entries
    .filter((e) => existsSync(e.in))
    .map((e) =>
      build({
        entryPoints: [e.in],
        outfile: e.out,
        bundle: true,
        platform: e.platform,
        format: e.format,
        target: e.platform === 'node' ? 'node20' : 'es2022',
        sourcemap: true,
        minify: process.env.NETSPEC_MINIFY === '1',
        external: ['vscode', 'webgpu'],
        banner: e.banner ? { js: e.banner } : undefined,
        logLevel: 'warning',
      }),
    ),
);
if (!watch) console.log(`built ${entries.filter((e) => existsSync(e.in)).map((e) => e.out).join(', ')}`);
