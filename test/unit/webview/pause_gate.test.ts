// Pausing between steps: the gate's `pass` resolves at once while open, is held while the
// gate is closed, and every waiter goes on when it opens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PauseGate } from '../../../webview/src/pause_gate';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('pass waits while the gate is closed and goes on when it opens', async () => {
  const gate = new PauseGate();
  assert.equal(gate.paused, false);
  await gate.pass();

  gate.close();
  gate.close();
  assert.equal(gate.paused, true);
  let done = 0;
  const a = gate.pass().then(() => done++);
  const b = gate.pass().then(() => done++);
  await tick(20);
  assert.equal(done, 0, 'pass is held while paused');
  gate.open();
  await Promise.all([a, b]);
  assert.equal(done, 2);
  assert.equal(gate.paused, false);
  await gate.pass();
});
