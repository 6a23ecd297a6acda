// The model view's refresh rule: one request in flight, edits meanwhile make exactly one
// more request after it, and an answer older than the one shown is dropped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Refresher } from '../../../client/src/model_view_refresh';

/** A fetch whose answers the test releases one by one. */
function gate() {
  const waiting: ((v: { version: number } | null) => void)[] = [];
  let calls = 0;
  return {
    fetch: () => {
      calls++;
      return new Promise<{ version: number } | null>((resolve) => waiting.push(resolve));
    },
    answer(v: { version: number } | null) {
      waiting.shift()!(v);
    },
    get calls() {
      return calls;
    },
    get pending() {
      return waiting.length;
    },
  };
}

const settle = () => new Promise((r) => setImmediate(r));

test('a burst of edits during a request makes one more request, and its answer is shown', async () => {
  const g = gate();
  const shown: number[] = [];
  const r = new Refresher(g.fetch, (a) => shown.push(a.version), () => assert.fail('no error expected'));
  r.request();
  r.request();
  r.request();
  r.request();
  assert.equal(g.calls, 1);
  g.answer({ version: 1 });
  await settle();
  assert.equal(g.calls, 2, 'the edits during the first request asked for one more');
  g.answer({ version: 4 });
  await settle();
  assert.equal(g.calls, 2);
  assert.deepEqual(shown, [1, 4]);
});

test('an older answer is not shown over a newer one; null answers are ignored; errors are reported', async () => {
  const g = gate();
  const shown: number[] = [];
  const errors: unknown[] = [];
  const r = new Refresher(g.fetch, (a) => shown.push(a.version), (e) => errors.push(e));
  r.request();
  g.answer({ version: 5 });
  await settle();
  r.request();
  g.answer({ version: 3 });
  await settle();
  r.request();
  g.answer(null);
  await settle();
  assert.deepEqual(shown, [5]);
  const failing = new Refresher(() => Promise.reject(new Error('server gone')), () => assert.fail('nothing to show'), (e) => errors.push(e));
  failing.request();
  await settle();
  assert.match(String(errors[0]), /server gone/);
});

test('after dispose nothing is requested or shown', async () => {
  const g = gate();
  const shown: number[] = [];
  const r = new Refresher(g.fetch, (a) => shown.push(a.version), () => assert.fail('no error expected'));
  r.request();
  r.request();
  r.dispose();
  g.answer({ version: 1 });
  await settle();
  r.request();
  assert.equal(g.calls, 1);
  assert.equal(g.pending, 0);
  assert.deepEqual(shown, []);
});
