// Where a run trains for each value of netspec.backend, and the sentence the panel shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attemptsFor, explainChoice } from '../../../client/src/backend_plan';
import { BACKEND_CHOICES, readSettings } from '../../../client/src/settings';

test('auto tries a hardware adapter in the host, then in the panel, then the host CPU', () => {
  assert.deepEqual(attemptsFor('auto'), [
    { place: 'host', backend: 'gpu-hardware' },
    { place: 'panel', backend: 'gpu-hardware' },
    { place: 'host', backend: 'wasm' },
  ]);
});

test('the explicit values keep their meaning: webgpu and cpu train in the panel', () => {
  assert.deepEqual(attemptsFor('webgpu'), [{ place: 'panel', backend: 'webgpu' }]);
  assert.deepEqual(attemptsFor('cpu'), [{ place: 'panel', backend: 'cpu' }]);
  assert.deepEqual(attemptsFor('host-webgpu'), [{ place: 'host', backend: 'webgpu' }]);
  assert.deepEqual(attemptsFor('host-wasm'), [{ place: 'host', backend: 'wasm' }]);
});

test('every setting value is read back, an unknown one becomes auto', () => {
  for (const v of BACKEND_CHOICES) assert.equal(readSettings({ get: <T>(k: string) => (k === 'backend' ? v : undefined) as T }).backend, v);
  assert.equal(readSettings({ get: <T>(k: string) => (k === 'backend' ? 'gpu' : undefined) as T }).backend, 'auto');
});

test('the reason names the setting and what each declining place said', () => {
  assert.equal(explainChoice('auto', []), 'netspec.backend is "auto": a hardware GPU adapter was found');
  assert.equal(explainChoice('host-wasm', []), 'netspec.backend is "host-wasm"');
  assert.equal(
    explainChoice('auto', [
      { place: 'host', reason: 'the only WebGPU adapter (llvmpipe) is a software renderer' },
      { place: 'panel', reason: 'no WebGPU adapter' },
    ]),
    'netspec.backend is "auto"; the extension host: the only WebGPU adapter (llvmpipe) is a software renderer; the panel (webview): no WebGPU adapter',
  );
});
