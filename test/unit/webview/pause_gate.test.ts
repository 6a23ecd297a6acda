// Pausing between steps: a gated backend holds `download` while the gate is closed and
// passes every other member through to the real backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { gatedBackend, PauseGate } from '../../../webview/src/pause_gate';

test('download waits while the gate is closed and goes on when it opens', async () => {
  const cpu = new CpuBackend();
  const gate = new PauseGate();
  const b = gatedBackend(cpu, gate);
  assert.equal(b.name, 'cpu');
  const buf = b.alloc(8, 'float32');
  b.upload(buf, Float32Array.from([1, 2]));
  assert.deepEqual([...(await b.download(buf))], [1, 2]);

  gate.close();
  assert.equal(gate.paused, true);
  let done = false;
  const pending = b.download(buf).then((v) => ((done = true), v));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(done, false, 'download is held while paused');
  gate.open();
  assert.deepEqual([...(await pending)], [1, 2]);
  assert.equal(done, true);
  assert.equal(gate.paused, false);
});
