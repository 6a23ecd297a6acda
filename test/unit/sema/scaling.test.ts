// Checking time grows linearly: with the depth of a chain of nested blocks (each calling the
// previous one, once or twice), the number of declarations, and the nesting of brackets. Each
// test times a size n and a size 4n, alternating, and compares the fastest of several runs
// (load on a shared machine only ever adds time): linear work gives a ratio near 4, quadratic
// work near 16. The bound (10) leaves room for noise, and a ratio over it is measured again
// (up to three times in all) before the test fails, which a quadratic cost would fail every
// time. No absolute time is asserted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { checkText } from '../../../server/src/sema/check';
import { IncrementalChecker } from '../../../server/src/sema/incremental/incremental';

const FACTOR = 4;
const BOUND = 10;

/** Fastest times of `run` on the texts for n and FACTOR * n, measured alternately after a warm-up. */
function measure(make: (n: number) => string, n: number, run: (text: string) => unknown, runs: number): { small: number; large: number; ratio: number } {
  const a = make(n);
  const b = make(n * FACTOR);
  run(a);
  run(b);
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    run(a);
    ta.push(performance.now() - t0);
    t0 = performance.now();
    run(b);
    tb.push(performance.now() - t0);
  }
  const small = Math.min(...ta);
  const large = Math.min(...tb);
  return { small, large, ratio: large / Math.max(small, 0.01) };
}

/** `measure`, again while the ratio is over the bound (three tries at most). */
function ratio(make: (n: number) => string, n: number, run: (text: string) => unknown = (t) => checkText(t), runs = 7): { small: number; large: number; ratio: number } {
  let r = measure(make, n, run, runs);
  for (let i = 1; i < 3 && r.ratio >= BOUND; i++) r = measure(make, n, run, runs);
  return r;
}

function report(what: string, r: { small: number; large: number; ratio: number }): string {
  return `${what}: ${r.small.toFixed(1)} ms -> ${r.large.toFixed(1)} ms (x${r.ratio.toFixed(2)} for x${FACTOR} the size)`;
}

/** n blocks, each calling the previous one `calls` times, and a model using the last. */
function blockChain(n: number, calls = 1): string {
  let s = 'block B0(d) {\n  input x: [d]\n  Dense(d)\n}\n';
  for (let i = 1; i < n; i++) s += `block B${i}(d) {\n  input x: [d]\n${`  B${i - 1}(d=d)\n`.repeat(calls)}}\n`;
  return s + `model M {\n  input x: [8]\n  B${n - 1}(d=8)\n}\n`;
}

test('checking a chain of nested blocks is linear in its length', (t) => {
  const r = ratio((n) => blockChain(n), 400);
  t.diagnostic(report('chain of blocks', r));
  assert.ok(r.ratio < BOUND, report('chain of blocks', r));
});

test('checking a chain of blocks that each call the previous one twice is linear in its length', (t) => {
  const r = ratio((n) => blockChain(n, 2), 60);
  t.diagnostic(report('chain of doubling blocks', r));
  assert.ok(r.ratio < BOUND, report('chain of doubling blocks', r));
});

test('re-checking a chain of blocks after an edit at its bottom is linear in its length', (t) => {
  // The edit changes B0, which every other block and the model reach: all are re-checked.
  const r = ratio(
    (n) => blockChain(n),
    100,
    (text) => {
      const checker = new IncrementalChecker();
      checker.update(text);
      return checker.update(text.replace('Dense(d)', 'Dense(d, activation=relu)'));
    },
  );
  t.diagnostic(report('incremental chain', r));
  assert.ok(r.ratio < BOUND, report('incremental chain', r));
});

test('checking is linear in the number of declarations', (t) => {
  const make = (n: number) => {
    let s = 'block Stem(d) {\n  input x: [d]\n  Dense(d, activation=relu)\n}\n';
    for (let i = 0; i < n; i++) s += `model M${i} {\n  input x: [${(i % 7) + 1}]\n  Stem(d=${(i % 5) + 1})\n  Dens(3)\n}\n`;
    return s;
  };
  const r = ratio(make, 400);
  t.diagnostic(report('declarations', r));
  assert.ok(r.ratio < BOUND, report('declarations', r));
});

test('checking is linear in the nesting of brackets', (t) => {
  const make = (n: number) => `model A {\n  input x: [4]\n  Dense(${'('.repeat(n)}${')'.repeat(n)})\n}\nmodel B {\n  input y: [4]\n  Dens(3)\n}\n`;
  const r = ratio(make, 20_000, (text) => checkText(text), 5);
  t.diagnostic(report('brackets', r));
  assert.ok(r.ratio < BOUND, report('brackets', r));
});
