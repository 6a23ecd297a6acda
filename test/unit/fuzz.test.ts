// Fuzzes the checker: every `.netspec` under test/corpus plus a few built-in seeds, each
// mutated thousands of times (deleted, duplicated and swapped ranges, tokens from the
// language's vocabulary, random UTF-16 code units, truncation, unbalanced brackets, huge
// numbers, deep nesting, long chains). `checkText` must never throw, must return spans
// inside the text, and must finish each file within a generous no-hang bound (2 s; the
// slowest file is printed, and test/unit/sema/scaling.test.ts checks that checking time
// grows linearly, as ratios that a loaded machine cannot flake). The PRNG is seeded; the
// seed is printed, and NETSPEC_FUZZ_SEED / NETSPEC_FUZZ_CASES reproduce or extend a run.
// The loop runs in a worker thread, so a hang or an out-of-memory crash fails the test and
// names (and saves) the case instead of stalling or killing the test run.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { checkText } from '../../server/src/sema/check';
import type { CheckedFile } from '../../server/src/sema/checked';
import type { Span } from '../../server/src/syntax/ast';
import { layerNames } from '../../engine/catalog/index';
import { rng as prng } from '../fuzz/lsp_edits';


type Rng = () => number;

const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)];

const KEYWORDS = ['model', 'block', 'train', 'input', 'output', 'repeat', 'int', 'float', 'true', 'false'];
const PUNCT = ['(', ')', '[', ']', '{', '}', ',', ':', '=', '->', '-', '>', '.', '#', '"', '\\'];
const WORDS = [
  'x', 'h', 'seq', 'd', 'heads', 'relu', 'softmax', 'same', 'valid', 'axis', 'units', 'activation',
  'return_sequences', 'causal', 'key_dim', 'data', 'loss', 'optimizer', 'epochs', 'csv', 'adam', 'lr',
  'cross_entropy', 'mse', 'metrics', 'accuracy', 'batch', 'target', 'validation', 'l2', 'seed',
];
const NUMBERS = [
  '0', '1', '-1', '2', '3', '.5', '1e-3', '3.0e2', '1e308', '1e309', '1e-400', '-0', '0.0',
  '99999999999999999999999', '4294967296', '2147483648', '9007199254740993', '1000000000', 'NaN', 'Infinity',
];
const STRINGS = ['"data/iris.csv"', '"unterminated', '"esc\\"aped"', '""', '"\\\\"'];
const ODD = ['\n', '\r\n', '\r', '\t', '\u0000', '\uFEFF', '\u00e9', '\u{1F600}', '\uD800', '\uDC00', '\u2028', ' '];

function vocabulary(): string[] {
  return [...KEYWORDS, ...PUNCT, ...WORDS, ...NUMBERS, ...STRINGS, ...ODD, ...layerNames()];
}
const VOCAB = vocabulary();

/** A random range [a, b) inside text of length n. */
function range(rng: Rng, n: number, maxLen = 40): [number, number] {
  const a = int(rng, n + 1);
  const b = Math.min(n, a + int(rng, maxLen + 1));
  return [a, b];
}

type Mutation = (text: string, rng: Rng) => string;

const MUTATIONS: Record<string, Mutation> = {
  deleteRange(t, rng) {
    const [a, b] = range(rng, t.length);
    return t.slice(0, a) + t.slice(b);
  },
  duplicateRange(t, rng) {
    const [a, b] = range(rng, t.length, 200);
    const at = int(rng, t.length + 1);
    return t.slice(0, at) + t.slice(a, b) + t.slice(at);
  },
  swapRanges(t, rng) {
    const [a, b] = range(rng, t.length);
    const [c, d] = range(rng, t.length);
    if (b > c && d > a) return t;
    const [[p, q], [r, s]] = a < c ? [[a, b], [c, d]] : [[c, d], [a, b]];
    return t.slice(0, p) + t.slice(r, s) + t.slice(q, r) + t.slice(p, q) + t.slice(s);
  },
  insertTokens(t, rng) {
    let out = t;
    for (let k = 1 + int(rng, 5); k > 0; k--) {
      const at = int(rng, out.length + 1);
      const tok = pick(rng, VOCAB);
      const sep = rng() < 0.5 ? ' ' : '';
      out = out.slice(0, at) + sep + tok + sep + out.slice(at);
    }
    return out;
  },
  randomBytes(t, rng) {
    let s = '';
    for (let k = 1 + int(rng, 12); k > 0; k--) s += String.fromCharCode(int(rng, 0x10000));
    const at = int(rng, t.length + 1);
    return t.slice(0, at) + s + t.slice(at);
  },
  truncate(t, rng) {
    return t.slice(0, int(rng, t.length + 1));
  },
  unbalanceBrackets(t, rng) {
    const positions = [...t.matchAll(/[()[\]{}]/g)].map((m) => m.index ?? 0);
    if (positions.length > 0 && rng() < 0.5) {
      const at = pick(rng, positions);
      return t.slice(0, at) + t.slice(at + 1);
    }
    const at = int(rng, t.length + 1);
    return t.slice(0, at) + pick(rng, ['(', ')', '[', ']', '{', '}', '((((', '}}}}']) + t.slice(at);
  },
  hugeNumbers(t, rng) {
    const nums = [...t.matchAll(/\d+(\.\d+)?/g)];
    if (nums.length === 0) return t;
    const m = pick(rng, nums);
    const at = m.index ?? 0;
    const huge = pick(rng, ['1e308', '99999999999999999999999', '1000000000', '2147483647', '0', '1e-400', '65536', '100000']);
    return t.slice(0, at) + huge + t.slice(at + m[0].length);
  },
  deepNesting(t, rng) {
    const depth = 50 + int(rng, 1500);
    const [open, close] = pick(rng, [['(', ')'], ['[', ']'], ['{', '}']] as const);
    const balanced = rng() < 0.5;
    const nest = open.repeat(depth) + '1' + (balanced ? close.repeat(depth) : '');
    const at = int(rng, t.length + 1);
    return t.slice(0, at) + nest + t.slice(at);
  },
  nestedRepeat(t, rng) {
    // Repeats multiply: the checker must bound the total unrolled work, not each count.
    const depth = 1 + int(rng, 3);
    const count = pick(rng, ['2', '10', '100', '999', '1000', '100000']);
    const body = `repeat ${count} {\n`.repeat(depth) + 'Dense(4)\n' + '}\n'.repeat(depth);
    const lines = t.split('\n');
    const at = int(rng, lines.length + 1);
    return [...lines.slice(0, at), body, ...lines.slice(at)].join('\n');
  },
  longChain(t, rng) {
    const n = 50 + int(rng, 400);
    const chain = Array.from({ length: n }, () => pick(rng, ['Dense(4)', 'ReLU()', 'Dropout(0.1)', 'LayerNorm()'])).join(' -> ');
    return t + `\nmodel fuzz_${int(rng, 1000)} {\n  input x: [8]\n  y = x -> ${chain}\n}\n`;
  },
};

const MUTATION_NAMES = Object.keys(MUTATIONS);

/** Applies 1 to 4 random mutations; returns the text and the names applied. */
function mutate(text: string, rng: Rng): { text: string; applied: string[] } {
  const applied: string[] = [];
  let out = text;
  for (let k = 1 + int(rng, 4); k > 0; k--) {
    const name = pick(rng, MUTATION_NAMES);
    applied.push(name);
    out = MUTATIONS[name](out, rng);
  }
  return { text: out, applied };
}

const SEEDS: Record<string, string> = {
  mnist: `model mnist {
  input image: [28, 28, 1]
  Conv2D(32, 3, activation=relu)
  MaxPool2D(2)
  Conv2D(64, (3, 3), padding=same, activation=relu)
  MaxPool2D(pool=2)
  Flatten()
  Dropout(0.5)
  Dense(10, activation=softmax)
}
train mnist {
  data = idx(images="train-images-idx3-ubyte.gz", labels="train-labels-idx1-ubyte.gz")
  validation = 0.1
  loss = cross_entropy
  optimizer = adam(lr=0.001)
  epochs = 3
  batch_size = 128
  metrics = [accuracy]
}
`,
  transformer: `# A small transformer with a block, symbolic sizes and repeat.
block Encoder(d, heads=4, ff=128) {
  input x: [seq, d]
  a = x -> MultiHeadAttention(heads, causal=true)
  s = (x, a) -> Add() -> LayerNorm()
  f = s -> Dense(ff, activation=gelu) -> Dense(d)
  output y = (s, f) -> Add() -> LayerNorm(eps=1e-6)
}
model lm {
  input ids: [seq] int
  Embedding(1000, 64) -> PositionEmbedding(256)
  repeat 2 {
    Encoder(d=64, heads=4)
  }
  Dense(1000)
}
`,
  multi: `model two_heads {
  input a: [16]
  input b: [8, 2]
  fa = a -> Dense(32, activation=relu)
  fb = b -> Flatten() -> Dense(32)
  joined = (fa, fb) -> Concat(axis=-1)
  output kind = joined -> Dense(3, activation=softmax)
  output size = joined -> Dense(1)
}
model seq {
  input t: [50, 3]
  Conv1D(16, 5, padding=same) -> MaxPool1D(2) -> LSTM(32, return_sequences=true) -> GRU(8) -> Reshape([2, -1])
}
train two_heads {
  data = csv("d.csv", target={kind: "species", size: "mass"}, features=["a", "b"])
  loss = {kind: cross_entropy, size: mse}
  loss_weights = {kind: 1, size: 0.5}
  optimizer = sgd(lr=0.01, momentum=0.9, nesterov=true)
  regularizer = l1_l2(l1=0.01, l2=0.001)
  early_stopping = 5
}
`,
  broken: `model { input : [28,
  Dense(10 -> ,
block B(x= { output }
train { data = csv( }
"unterminated
model ok { input x: [4] Dense(2) }
`,
};

function corpusFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...corpusFiles(p));
    else if (name.endsWith('.netspec')) out.push(p);
  }
  return out;
}

function spanProblem(what: string, s: Span, n: number): string | null {
  const ok = Number.isInteger(s.start) && Number.isInteger(s.end) && 0 <= s.start && s.start <= s.end && s.end <= n;
  return ok ? null : `${what} span [${s.start}, ${s.end}) is outside the text of length ${n}`;
}

/** Every span the checker returns, named for the failure message. */
function* spans(c: CheckedFile): Generator<[string, Span]> {
  for (const d of c.diagnostics) {
    yield [`diagnostic ${d.code}`, d.span];
    for (const r of d.related) yield [`related info of ${d.code}`, r.span];
  }
  for (const s of c.statements) yield ['statement', s.span];
  for (const call of c.calls) {
    yield [`call ${call.op}`, call.span];
    yield [`call ${call.op} (whole)`, call.callSpan];
  }
  for (const s of c.symbols) {
    yield [`symbol ${s.name}`, s.def];
    for (const r of s.refs) yield [`reference to ${s.name}`, r];
  }
  for (const m of c.models) yield [`model ${m.name}`, m.span];
}

const TOTAL_CASES = Number(process.env.NETSPEC_FUZZ_CASES ?? 3200);
const SEED = Number(process.env.NETSPEC_FUZZ_SEED ?? 0x5eed2026);
// A hang guard, not a speed target: a typical slowest file takes 30-60 ms on an idle machine
// and several times that when the two cores are shared with other work.
const LIMIT_MS = 2000;

/** The seed files: the corpus plus the built-in seeds, in a fixed order. */
function loadSeeds(): { name: string; text: string }[] {
  return [
    ...corpusFiles('test/corpus').map((p) => ({ name: p, text: readFileSync(p, 'utf8') })),
    ...Object.entries(SEEDS).map(([name, text]) => ({ name: `built-in ${name}`, text })),
  ];
}

/** Case i is a pure function of the seed, i and the seed files, so it can be rebuilt anywhere. */
function makeCase(seeds: { name: string; text: string }[], i: number) {
  const rng = prng((SEED ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
  const seed = seeds[i % seeds.length];
  const { text, applied } = mutate(seed.text, rng);
  return { text, applied, where: `case ${i} (seed ${SEED}, from ${seed.name}, mutations ${applied.join('+')})` };
}

function saveCase(i: number, text: string): string {
  const file = join(tmpdir(), `netspec-fuzz-${SEED}-${i}.netspec`);
  writeFileSync(file, text);
  return file;
}

type WorkerMessage =
  | { type: 'start'; i: number }
  | { type: 'failure'; message: string }
  | { type: 'done'; maxMs: number; slowest: string; counts: [string, number][] };

interface Totals {
  maxMs: number;
  slowest: string;
  counts: [string, number][];
}

/** The fuzz loop over cases from..TOTAL_CASES-1; runs in a worker thread (see the test). */
function fuzzLoop(from: number, post: (m: WorkerMessage) => void): void {
  const seeds = loadSeeds();
  // Warm up the JIT so the time bound measures the checker, not compilation.
  for (const s of seeds) checkText(s.text);
  let maxMs = 0;
  let slowest = '';
  const counts = new Map<string, number>();
  for (let i = from; i < TOTAL_CASES; i++) {
    const { text, applied, where } = makeCase(seeds, i);
    for (const a of applied) counts.set(a, (counts.get(a) ?? 0) + 1);
    const fail = (message: string) =>
      post({ type: 'failure', message: `${where}: ${message}; the input is saved in ${saveCase(i, text)}` });
    post({ type: 'start', i });
    let checked: CheckedFile;
    const t0 = performance.now();
    try {
      checked = checkText(text, { path: '/tmp/fuzz.netspec' });
    } catch (e) {
      fail(`checkText threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      continue;
    }
    const ms = performance.now() - t0;
    if (ms > maxMs) {
      maxMs = ms;
      slowest = where;
    }
    if (ms >= LIMIT_MS) fail(`checkText took ${ms.toFixed(1)} ms (limit ${LIMIT_MS} ms) on ${text.length} chars`);
    for (const [what, span] of spans(checked)) {
      const problem = spanProblem(what, span, text.length);
      if (problem) {
        fail(problem);
        break;
      }
    }
  }
  post({ type: 'done', maxMs, slowest, counts: [...counts] });
}

/** A case that runs this long is a hang (the limit per file is LIMIT_MS). */
const HANG_MS = Number(process.env.NETSPEC_FUZZ_HANG_MS ?? 10_000);
const MAX_RESTARTS = 10;

type WorkerEnd = { totals: Totals } | { lostAt: number; why: string };

/** Runs the loop from case `from` in a worker; a hang or a crash ends it at the case it was on. */
function runWorker(from: number, failures: string[]): Promise<WorkerEnd> {
  // Node 20 does not apply `--import tsx` to a worker's entry, so the worker registers tsx's
  // require hook itself and then loads this file.
  const entry = `require('tsx/cjs'); require(${JSON.stringify(resolve('test/unit/fuzz.test.ts'))});`;
  const worker = new Worker(entry, { eval: true, workerData: { from }, resourceLimits: { maxOldGenerationSizeMb: 2048 } });
  let current = -1;
  let lastProgress = Date.now();
  return new Promise<WorkerEnd>((done) => {
    const end = (r: WorkerEnd) => {
      clearInterval(timer);
      void worker.terminate();
      done(r);
    };
    const timer = setInterval(() => {
      if (Date.now() - lastProgress > HANG_MS) end({ lostAt: current, why: `checkText ran for more than ${HANG_MS} ms (a hang)` });
    }, 250);
    worker.on('message', (m: WorkerMessage) => {
      lastProgress = Date.now();
      if (m.type === 'start') current = m.i;
      else if (m.type === 'failure') failures.push(m.message);
      else end({ totals: m });
    });
    worker.on('error', (e: Error) => end({ lostAt: current, why: `the checker crashed the worker: ${e.stack ?? e.message}` }));
  });
}

if (!isMainThread) {
  fuzzLoop((workerData as { from: number }).from, (m) => parentPort!.postMessage(m));
} else {
  test(`checkText survives ${TOTAL_CASES} mutated files (seed ${SEED})`, async (t) => {
    const seeds = loadSeeds();
    console.log(`fuzz: seed ${SEED} (NETSPEC_FUZZ_SEED), ${seeds.length} seed files, ${TOTAL_CASES} cases`);
    const failures: string[] = [];
    const totals: Totals = { maxMs: 0, slowest: '', counts: [] };
    // After a hang or a crash, the case is rebuilt here and saved, and a new worker goes on.
    for (let from = 0, restarts = 0; from < TOTAL_CASES; restarts++) {
      const r = await runWorker(from, failures);
      if ('totals' in r) {
        if (r.totals.maxMs > totals.maxMs) Object.assign(totals, { maxMs: r.totals.maxMs, slowest: r.totals.slowest });
        totals.counts.push(...r.totals.counts);
        break;
      }
      if (r.lostAt < 0) {
        failures.unshift(`the fuzz worker failed before its first case: ${r.why}`);
        break;
      }
      const { text, where } = makeCase(seeds, r.lostAt);
      failures.unshift(`${where}: ${r.why}; the input is saved in ${saveCase(r.lostAt, text)}`);
      if (restarts >= MAX_RESTARTS) {
        failures.unshift(`gave up after ${MAX_RESTARTS} hangs or crashes; cases from ${r.lostAt + 1} did not run`);
        break;
      }
      from = r.lostAt + 1;
    }
    const summary = `fuzz: max checkText time ${totals.maxMs.toFixed(1)} ms (${totals.slowest}); ${failures.length} failures`;
    console.log(summary);
    t.diagnostic(summary);
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} cases failed (first 20 shown)`);
    assert.ok(totals.maxMs < LIMIT_MS);
  });
}
