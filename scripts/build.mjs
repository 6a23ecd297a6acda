// Bundles the entry points with esbuild. `vscode` is provided by the editor; the
// `webgpu` package is a native module and stays external so its dawn.node is found; a
// copy of it for one platform goes to dist/node_modules (dawn_binding.mjs), for the VSIX.
// `--target=<vscode target>` picks that platform (default: this machine's).
import { build } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';
import { copyDawnBinding, hostTarget } from './dawn_binding.mjs';

const entries = [
  { in: 'client/src/extension.ts', out: 'dist/extension.js', platform: 'node', format: 'cjs' },
  { in: 'server/src/lsp/main.ts', out: 'dist/server.js', platform: 'node', format: 'cjs' },
  { in: 'cli/src/main.ts', out: 'dist/cli.js', platform: 'node', format: 'cjs', banner: '#!/usr/bin/env node' },
  // The extension host's training process (client/src/host_runner.ts forks it).
  { in: 'cli/src/train_child.ts', out: 'dist/train_child.js', platform: 'node', format: 'cjs' },
  { in: 'webview/src/main.ts', out: 'dist/webview.js', platform: 'browser', format: 'iife' },
  { in: 'webview/src/worker.ts', out: 'dist/worker.js', platform: 'browser', format: 'iife' },
  { in: 'webview/model/main.ts', out: 'dist/model_view.js', platform: 'browser', format: 'iife' },
];

mkdirSync('dist', { recursive: true });
const watch = process.argv.includes('--watch');
// `--only=webview,worker` builds just the entries whose output name contains one of the words.
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const chosen = entries.filter((e) => existsSync(e.in) && (!only || only.some((w) => e.out.includes(w))));
await Promise.all(
  chosen
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
        // Stylesheets (uPlot's) are bundled as text and added to the panel by script.
        loader: { '.css': 'text' },
        banner: e.banner ? { js: e.banner } : undefined,
        logLevel: 'warning',
      }),
    ),
);
if (!only) {
  const target = process.argv.find((a) => a.startsWith('--target='))?.slice(9) ?? hostTarget();
  const dawn = copyDawnBinding(process.cwd(), target);
  if (!dawn.ok) console.warn(`no Dawn binding in dist/: ${dawn.reason}; the packaged extension will train on the CPU`);
}
if (!watch) console.log(`built ${chosen.map((e) => e.out).join(', ')}`);
