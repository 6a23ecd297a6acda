// `npm run soak`: the language server's differential fuzzer run long (100,000 edits by
// default; `npm run soak -- --edits 20000 --seed 7` for another length or seed). Nine tenths
// of the edits go to the incremental checker in a worker thread, compared with a fresh check
// after every edit, in runs of 2,000 edits per seed; a run that makes no progress for 30 s is
// a hang, a thrown error a crash. The last tenth also goes to dist/server.js over stdio (with
// the heap probe), whose published diagnostics are compared every 10 edits and whose heap
// after forced collections and resident memory are sampled. It prints divergences, crashes,
// hangs and memory, and exits non-zero on any divergence, crash or hang. Not part of npm test.

import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { resolve } from 'node:path';
import { formatDivergence, runDifferential, type DifferentialCounts } from './differential';
import { editSession, initialize, startProbedServer, type HeapSample } from './server_memory';

interface Job {
  seed: number;
  edits: number;
}

type FromWorker =
  | { type: 'progress'; seed: number; edits: number; comparisons: number }
  | { type: 'divergence'; report: string }
  | { type: 'done'; seed: number; edits: number; comparisons: number };

const SEGMENT = 2_000;
const HANG_MS = 30_000;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** In the worker: one seed's run, reported as it goes. */
async function workerMain(job: Job): Promise<void> {
  const post = (m: FromWorker) => parentPort!.postMessage(m);
  const counts = await runDifferential({
    seed: job.seed,
    edits: job.edits,
    every: 1,
    restartEvery: SEGMENT,
    progress: (c) => {
      if (c.comparisons % 100 === 0) post({ type: 'progress', seed: job.seed, edits: c.edits, comparisons: c.comparisons });
    },
  });
  for (const d of counts.divergences.slice(0, 5)) post({ type: 'divergence', report: formatDivergence(d) });
  if (counts.divergences.length > 5) post({ type: 'divergence', report: `(${counts.divergences.length - 5} more divergences at seed ${job.seed})` });
  post({ type: 'done', seed: job.seed, edits: counts.edits, comparisons: counts.comparisons });
}

interface Totals {
  edits: number;
  comparisons: number;
  serverComparisons: number;
  divergences: string[];
  crashes: string[];
  hangs: string[];
}

/** Runs one seed in a worker; a hang or a crash ends it and is recorded. */
function runSeed(job: Job, totals: Totals): Promise<void> {
  const entry = `require('tsx/cjs'); require(${JSON.stringify(resolve(__dirname, 'soak.ts'))});`;
  const worker = new Worker(entry, { eval: true, workerData: job, resourceLimits: { maxOldGenerationSizeMb: 2048 } });
  let last = Date.now();
  let at = { edits: 0, comparisons: 0 };
  return new Promise<void>((done) => {
    const end = () => {
      clearInterval(timer);
      void worker.terminate();
      done();
    };
    const timer = setInterval(() => {
      if (Date.now() - last > HANG_MS) {
        totals.hangs.push(`seed ${job.seed}: no progress for ${HANG_MS / 1000} s after edit ${at.edits}`);
        totals.edits += at.edits;
        totals.comparisons += at.comparisons;
        end();
      }
    }, 500);
    worker.on('message', (m: FromWorker) => {
      last = Date.now();
      if (m.type === 'progress') at = m;
      else if (m.type === 'divergence') {
        totals.divergences.push(m.report);
        console.log(`DIVERGENCE\n${m.report}\n`);
      } else {
        totals.edits += m.edits;
        totals.comparisons += m.comparisons;
        end();
      }
    });
    worker.on('error', (e: Error) => {
      totals.crashes.push(`seed ${job.seed} after edit ${at.edits}: ${e.stack ?? e.message}`);
      totals.edits += at.edits;
      totals.comparisons += at.comparisons;
      end();
    });
  });
}

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

async function serverPart(seed: number, edits: number, totals: Totals): Promise<HeapSample[]> {
  const { client, heap } = startProbedServer();
  const samples: HeapSample[] = [];
  try {
    await initialize(client);
    const start = await heap();
    console.log(`server: heap ${mb(start.heapUsed)} after gc, rss ${mb(start.rss)} at the start`);
    // The published diagnostics are compared with fresh checks over a part of the run ...
    const compared = Math.min(edits, Math.max(100, Math.floor(edits / 4)));
    const counts: DifferentialCounts = await runDifferential({ seed, edits: compared, every: 10, server: client, serverEvery: 10 });
    totals.edits += counts.edits;
    totals.comparisons += counts.comparisons;
    totals.serverComparisons += counts.serverComparisons;
    for (const d of counts.divergences) {
      const report = formatDivergence(d);
      totals.divergences.push(report);
      console.log(`DIVERGENCE\n${report}\n`);
    }
    // ... and the rest is an edit session whose memory is sampled.
    const rest = edits - compared;
    if (rest > 0) {
      const got = await editSession(client, heap, {
        seed: seed + 1,
        edits: rest,
        sampleEvery: Math.max(100, Math.floor(rest / 10)),
        onSample: (s) => console.log(`server after ${s.edits} edits: heap ${mb(s.heapUsedBeforeGc)} -> ${mb(s.heapUsed)} after gc, rss ${mb(s.rssBeforeGc)} -> ${mb(s.rss)}`),
      });
      samples.push(...got);
      totals.edits += rest;
    }
  } catch (e) {
    const exited = client.child.exitCode !== null || client.child.signalCode !== null;
    (exited ? totals.crashes : totals.hangs).push(`server (seed ${seed}): ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    client.child.kill();
  }
  return samples;
}

async function main(): Promise<void> {
  const edits = arg('edits', 100_000);
  const base = arg('seed', 1);
  const t0 = Date.now();
  const totals: Totals = { edits: 0, comparisons: 0, serverComparisons: 0, divergences: [], crashes: [], hangs: [] };
  const serverEdits = Math.floor(edits / 10);
  const checkerEdits = edits - serverEdits;
  console.log(`soak: ${edits} edits from seed ${base} (${checkerEdits} checker, ${serverEdits} over stdio)`);
  let seed = base;
  for (let left = checkerEdits; left > 0; left -= SEGMENT, seed++) {
    await runSeed({ seed, edits: Math.min(SEGMENT, left) }, totals);
    const rss = process.memoryUsage().rss;
    console.log(`checker: ${totals.edits} edits, ${totals.comparisons} comparisons, ${totals.divergences.length} divergences, ${totals.crashes.length} crashes, ${totals.hangs.length} hangs; rss ${mb(rss)}; ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  const samples = serverEdits > 0 ? await serverPart(seed, serverEdits, totals) : [];
  const secs = (Date.now() - t0) / 1000;
  console.log('');
  console.log(`soak done in ${secs.toFixed(0)} s: ${totals.edits} edits, ${totals.comparisons} comparisons with a fresh check, ${totals.serverComparisons} with the server's published diagnostics`);
  console.log(`divergences ${totals.divergences.length}, crashes ${totals.crashes.length}, hangs ${totals.hangs.length}`);
  for (const c of totals.crashes) console.log(`CRASH ${c}`);
  for (const h of totals.hangs) console.log(`HANG ${h}`);
  if (samples.length > 0) {
    const first = samples[0];
    const last = samples[samples.length - 1];
    console.log(`server heap after gc: ${mb(first.heapUsed)} at ${first.edits} edits -> ${mb(last.heapUsed)} at ${last.edits}; rss ${mb(first.rss)} -> ${mb(last.rss)}`);
  }
  process.exitCode = totals.divergences.length + totals.crashes.length + totals.hangs.length > 0 ? 1 : 0;
}

if (!isMainThread) void workerMain(workerData as Job);
else void main();
