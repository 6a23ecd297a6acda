// The extension host's backend rule (the CLI's): a software adapter counts as none for the
// automatic choice, `gpu-hardware` declines instead of falling back, `webgpu` takes any adapter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickHostBackend } from '../../../cli/src/host_backend';

function adapter(software: boolean) {
  let disposed = false;
  const backend = { name: 'webgpu', description: software ? 'mesa / llvmpipe' : 'nvidia / ampere', software, dispose: () => void (disposed = true) } as never;
  return { gpu: async () => ({ ok: true as const, backend }), disposed: () => disposed };
}

test('a hardware adapter is taken by auto and gpu-hardware', async () => {
  for (const choice of ['auto', 'gpu-hardware'] as const) {
    const picked = await pickHostBackend(choice, adapter(false).gpu);
    assert.ok('info' in picked);
    assert.deepEqual(picked.info, { name: 'webgpu', detail: 'nvidia / ampere' });
  }
});

test('a software adapter: gpu-hardware declines, auto takes the wasm kernels, webgpu takes it anyway', async () => {
  const a = adapter(true);
  const declined = await pickHostBackend('gpu-hardware', a.gpu);
  assert.ok('declined' in declined);
  assert.match(declined.declined, /only WebGPU adapter \(mesa \/ llvmpipe\) is a software renderer/);
  assert.ok(a.disposed(), 'the unused device is released');
  const auto = await pickHostBackend('auto', adapter(true).gpu);
  assert.ok('info' in auto);
  assert.equal(auto.info.name, 'cpu');
  assert.match(auto.info.detail, /^CPU \(WebAssembly SIMD, \d threads?\); the only WebGPU adapter/);
  const forced = await pickHostBackend('webgpu', adapter(true).gpu);
  assert.ok('info' in forced && forced.info.name === 'webgpu');
});

test('no adapter: gpu-hardware and webgpu decline with the reason; wasm and cpu never ask', async () => {
  const none = async () => ({ ok: false as const, reason: 'no WebGPU adapter: no Vulkan driver' });
  for (const choice of ['gpu-hardware', 'webgpu'] as const) assert.deepEqual(await pickHostBackend(choice, none), { declined: 'no WebGPU adapter: no Vulkan driver' });
  const never = async () => assert.fail('not asked');
  const wasm = await pickHostBackend('wasm', never);
  assert.ok('info' in wasm && /WebAssembly SIMD/.test(wasm.info.detail));
  const cpu = await pickHostBackend('cpu', never);
  assert.ok('info' in cpu && cpu.info.detail === 'CPU (JavaScript)');
});
