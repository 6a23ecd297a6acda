// The build's copy of Dawn for the VSIX (scripts/dawn_binding.mjs), on a stand-in of the
// `webgpu` package: the loader and the one platform's folder (its DLLs included on Windows)
// land in dist/node_modules/webgpu, no other platform's; macOS targets share the universal
// binding; a target without a binding leaves no stale copy behind and says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs build script, without type declarations
import { copyDawnBinding } from '../../../scripts/dawn_binding.mjs';

function standIn(): string {
  const root = mkdtempSync(join(tmpdir(), 'netspec-dawn-'));
  const pkg = join(root, 'node_modules', 'webgpu');
  for (const [dir, files] of [['linux-x64', ['dawn.node']], ['win32-x64', ['dawn.node', 'dxcompiler.dll', 'd3dcompiler_47.dll']], ['darwin-universal', ['dawn.node']]] as const) {
    mkdirSync(join(pkg, 'dist', dir), { recursive: true });
    for (const f of files) writeFileSync(join(pkg, 'dist', dir, f), dir);
  }
  for (const f of ['index.js', 'package.json', 'LICENSE.md', 'README.md']) writeFileSync(join(pkg, f), f);
  return root;
}

test('one platform\'s binding, with the loader, and nothing else', () => {
  const root = standIn();
  try {
    const linux = copyDawnBinding(root, 'linux-x64');
    assert.deepEqual(linux, { ok: true, files: ['dist/node_modules/webgpu/dist/linux-x64/dawn.node'] });
    const out = join(root, 'dist', 'node_modules', 'webgpu');
    assert.deepEqual(readdirSync(out).sort(), ['LICENSE.md', 'dist', 'index.js', 'package.json']);
    assert.deepEqual(readdirSync(join(out, 'dist')), ['linux-x64']);
    const win = copyDawnBinding(root, 'win32-x64');
    assert.ok(win.ok);
    assert.deepEqual(readdirSync(join(out, 'dist')), ['win32-x64'], 'the earlier platform\'s copy is replaced');
    assert.deepEqual(readdirSync(join(out, 'dist', 'win32-x64')).sort(), ['d3dcompiler_47.dll', 'dawn.node', 'dxcompiler.dll']);
    assert.ok(copyDawnBinding(root, 'darwin-arm64').ok);
    assert.deepEqual(readdirSync(join(out, 'dist')), ['darwin-universal']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a target Dawn has no binding for: no copy, and the reason', () => {
  const root = standIn();
  try {
    assert.ok(copyDawnBinding(root, 'linux-x64').ok);
    assert.deepEqual(copyDawnBinding(root, 'alpine-x64'), { ok: false, reason: 'Dawn has no binding for alpine-x64' });
    assert.equal(existsSync(join(root, 'dist', 'node_modules', 'webgpu')), false);
    assert.match(copyDawnBinding(root, 'linux-arm64').reason, /node_modules\/webgpu\/dist\/linux-arm64 is missing/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
