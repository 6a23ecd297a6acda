// The `webgpu` package (Dawn for Node) in the extension's own dist/ folder. The VSIX ships
// no node_modules, so the extension-host training child (dist/train_child.js) and the CLI
// (dist/cli.js) would find no Dawn and `auto` could only fall back to the CPU. Node
// resolves `import('webgpu')` from a file in dist/ to dist/node_modules/webgpu first, so a
// trimmed copy there (the package's loader and the native binding of one platform, about
// 20 MB, 7 MB zipped) needs no change to how the engine loads it. One platform per VSIX
// (`vsce package --target`): all five bindings would be 130 MB.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** VS Code's target names (vsce --target) to the `webgpu` package's binding folders. */
const BINDING_FOLDER = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'darwin-x64': 'darwin-universal',
  'darwin-arm64': 'darwin-universal',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
};

/** The VS Code target of the machine that builds, e.g. `linux-x64`. */
export function hostTarget() {
  return `${process.platform}-${process.arch}`;
}

/**
 * Copies node_modules/webgpu's loader and `target`'s binding (with the DLLs beside it on
 * Windows) to dist/node_modules/webgpu, replacing an earlier copy. Returns what it did, or
 * why nothing was copied (a target Dawn has no binding for, or no installed package).
 */
export function copyDawnBinding(root, target) {
  const folder = BINDING_FOLDER[target];
  const source = join(root, 'node_modules', 'webgpu');
  const dest = join(root, 'dist', 'node_modules', 'webgpu');
  rmSync(dest, { recursive: true, force: true });
  if (!folder) return { ok: false, reason: `Dawn has no binding for ${target}` };
  if (!existsSync(join(source, 'dist', folder))) return { ok: false, reason: `node_modules/webgpu/dist/${folder} is missing (run npm install)` };
  mkdirSync(join(dest, 'dist'), { recursive: true });
  for (const f of ['index.js', 'package.json', 'LICENSE.md']) cpSync(join(source, f), join(dest, f));
  cpSync(join(source, 'dist', folder), join(dest, 'dist', folder), { recursive: true });
  return { ok: true, files: readdirSync(join(dest, 'dist', folder)).map((f) => `dist/node_modules/webgpu/dist/${folder}/${f}`) };
}
