// Measures the editor's responsiveness on a 10,000-line and a 50,000-line file: a full
// check, an incremental re-check after a one-character edit, hover on a late layer call (in
// process, and as a round trip to dist/server.js over stdio), the round trip from a
// one-character didChange to the publishDiagnostics for that version (median and p95), and
// the server's memory after opening the file. Prints a table per size against the targets
// (the targets are the 10,000-line file's; the 50,000-line table shows how the costs scale);
// it is a benchmark, not a test. NETSPEC_BENCH_LINES=10000 runs one size.
//
// The in-process rows measure the checker as it ships: bundled by esbuild into one module,
// as dist/server.js and dist/cli.js are. Under tsx every source file is a separate module
// whose imports go through getters, which costs the hot paths 10-20% that no user ever
// pays; those numbers are printed too, marked "(tsx modules)". The machine's load average
// is printed with the results, since a loaded machine inflates every row.

import { buildSync } from 'esbuild';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as sourceHover from '../server/src/ide/hover';
import * as sourceCheck from '../server/src/sema/check';
import * as sourceIncremental from '../server/src/sema/incremental/incremental';
import { generateFile, lastOffset } from './generate';
import { rssMb, startServer, type LspSession } from './lsp_session';
import { median, percentile, printTable, timeAsync, timeSync, type Row } from './stats';

/** The entry points the in-process rows call. */
interface Checker {
  checkText: typeof sourceCheck.checkText;
  IncrementalChecker: typeof sourceIncremental.IncrementalChecker;
  hover: typeof sourceHover.hover;
}

/** The checker bundled the way scripts/build.mjs bundles the server (one module, node20). */
function bundledChecker(): Checker {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-bench-bundle-'));
  const outfile = join(dir, 'checker.cjs');
  try {
    buildSync({
      stdin: {
        contents: [
          `export { checkText } from './server/src/sema/check';`,
          `export { IncrementalChecker } from './server/src/sema/incremental/incremental';`,
          `export { hover } from './server/src/ide/hover';`,
        ].join('\n'),
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile,
      logLevel: 'warning',
    });
    return createRequire(join(process.cwd(), 'bench', 'check_bench.ts'))(outfile) as Checker;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SIZES = (process.env.NETSPEC_BENCH_LINES ?? '10000,50000').split(',').map(Number);
const RUNS = Number(process.env.NETSPEC_BENCH_RUNS ?? 15);
/** Round trips timed per size: enough for a p95. */
const ROUND_TRIPS = Math.max(RUNS, 40);
/** The server measured; NETSPEC_BENCH_SERVER names another build to compare with. */
const SERVER = resolve(process.env.NETSPEC_BENCH_SERVER ?? 'dist/server.js');
/** NETSPEC_BENCH_SERVER_ONLY=1 skips the in-process rows (to compare server builds quickly). */
const SERVER_ONLY = process.env.NETSPEC_BENCH_SERVER_ONLY === '1';
/** A small file for the round trip whose check costs next to nothing: the server's own latency. */
const SMALL = ['model Small {', '  input x: [28, 28, 1]', '  Conv2D(8, 3)', '  Flatten()', '  Dense(1)', '}', ''].join('\n');

function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** The offset of the one-character edit both the re-check and the round trip toggle. */
function editOffset(text: string): number {
  return lastOffset(text, 'Dense(1)') + 'Dense('.length;
}

/**
 * didChange -> publishDiagnostics: a one-character incremental change on a late line, toggled
 * back and forth, timed until the diagnostics for that version arrive (after 3 untimed ones).
 */
async function roundTrips(session: LspSession, uri: string, text: string, runs: number): Promise<number[]> {
  const editAt = editOffset(text);
  const range = { start: position(text, editAt), end: position(text, editAt + 1) };
  const original = text[editAt];
  const other = original === '2' ? '3' : '2';
  let version = 1;
  let flip = false;
  const once = async (): Promise<number> => {
    flip = !flip;
    version++;
    const published = session.diagnosticsAt(uri, version);
    const t0 = performance.now();
    await session.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range, text: flip ? other : original }],
    });
    await published;
    return performance.now() - t0;
  };
  for (let i = 0; i < 3; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  return times;
}

async function serverRows(text: string, hoverAt: number): Promise<Row[]> {
  if (!existsSync(SERVER)) {
    console.log(`(skipping the server measurements: ${SERVER} is missing; run \`npm run build\`)`);
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'netspec-bench-'));
  const file = join(dir, 'big.netspec');
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const session = await startServer(SERVER, dir);
  try {
    const diagnostics = session.nextDiagnostics(uri);
    const t0 = performance.now();
    await session.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'netspec', version: 1, text },
    });
    const published = await diagnostics;
    const openMs = performance.now() - t0;
    console.log(`server: first diagnostics after didOpen in ${openMs.toFixed(1)} ms (${published.length} diagnostics)`);
    const params = { textDocument: { uri }, position: position(text, hoverAt + 1) };
    let contents = '';
    const hoverMs = await timeAsync(async () => {
      const r = (await session.connection.sendRequest('textDocument/hover', params)) as { contents?: { value?: string } } | null;
      contents = r?.contents?.value ?? '';
    }, RUNS);
    if (!contents.includes('batch')) console.log(`warning: the server's hover has no shape: ${JSON.stringify(contents).slice(0, 200)}`);
    const rss = rssMb(session.process.pid!);

    const trips = await roundTrips(session, uri, text, ROUND_TRIPS);
    // The same on a small second document: what the round trip costs besides the check.
    const smallUri = pathToFileURL(join(dir, 'small.netspec')).href;
    const smallOpened = session.diagnosticsAt(smallUri, 1);
    await session.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: smallUri, languageId: 'netspec', version: 1, text: SMALL },
    });
    await smallOpened;
    const smallTrips = await roundTrips(session, smallUri, SMALL, ROUND_TRIPS);
    return [
      { measurement: 'hover round trip over stdio (server)', value: hoverMs, unit: 'ms', target: 5 },
      { measurement: `didChange -> publishDiagnostics, median of ${ROUND_TRIPS} (server)`, value: median(trips), unit: 'ms', target: 15 },
      { measurement: `didChange -> publishDiagnostics, p95 (server)`, value: percentile(trips, 95), unit: 'ms', target: 15 },
      { measurement: `the same round trip on a 7-line file, median (server)`, value: median(smallTrips), unit: 'ms', target: 15 },
      { measurement: 'server RSS after opening the file', value: rss, unit: 'MB', target: 100 },
    ];
  } finally {
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Full check, incremental re-check, hover and first hover with one build of the checker. */
function inProcessRows(c: Checker, text: string, label: string): Row[] {
  const lineCount = text.split('\n').length;
  const full = timeSync(() => void c.checkText(text), RUNS);

  // A one-character edit on a late line, toggled back and forth so every update is an edit.
  const editAt = editOffset(text);
  const edited = text.slice(0, editAt) + '2' + text.slice(editAt + 1);
  const inc = new c.IncrementalChecker();
  inc.update(text);
  let flip = false;
  const incremental = timeSync(() => {
    flip = !flip;
    inc.update(flip ? edited : text);
  }, RUNS);

  const checked = c.checkText(text);
  const hoverAt = lastOffset(text, 'Dense(5000)');
  let md = '';
  const hoverMs = timeSync(() => {
    md = c.hover(checked, text, hoverAt + 1)?.markdown ?? '';
  }, RUNS);
  if (!md.includes('batch')) console.log(`warning: the in-process hover has no shape: ${JSON.stringify(md).slice(0, 200)}`);

  // The first hover on a fresh check also builds the per-file lookup tables.
  const coldTimes: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 7); i++) {
    const fresh = c.checkText(text);
    const t0 = performance.now();
    c.hover(fresh, text, hoverAt + 1);
    coldTimes.push(performance.now() - t0);
  }
  return [
    { measurement: `full checkText (${lineCount} lines)${label}`, value: full, unit: 'ms', target: 50 },
    { measurement: `incremental re-check after a 1-char edit${label}`, value: incremental, unit: 'ms', target: 10 },
    { measurement: `hover on a late layer call (in process)${label}`, value: hoverMs, unit: 'ms', target: 5 },
    { measurement: `first hover after a check (builds tables)${label}`, value: median(coldTimes), unit: 'ms', target: 5 },
  ];
}

async function main(): Promise<void> {
  const load = () => loadavg().map((x) => x.toFixed(2)).join(', ');
  console.log(`load average before: ${load()}`);
  let shippedChecker: Checker | undefined;
  for (const [i, lines] of SIZES.entries()) {
    const text = generateFile(lines);
    const lineCount = text.split('\n').length;
    const checked = sourceCheck.checkText(text);
    const errors = checked.diagnostics.filter((d) => d.severity === 'error');
    console.log(
      `\ncheck_bench: ${lineCount} lines, ${text.length} chars, ${checked.models.length} models, ` +
        `${errors.length} errors, ${RUNS} timed runs per measurement (median)`,
    );
    if (errors.length > 0) console.log(`note: the generated file has errors, first: ${errors[0].code}: ${errors[0].message}`);

    const shipped = SERVER_ONLY ? [] : inProcessRows((shippedChecker ??= bundledChecker()), text, '');
    // The tsx-module rows only for the first size: they show the bundling's effect once.
    const modules =
      i === 0 && !SERVER_ONLY
        ? inProcessRows({ checkText: sourceCheck.checkText, IncrementalChecker: sourceIncremental.IncrementalChecker, hover: sourceHover.hover }, text, ' (tsx modules)')
        : [];
    const hoverAt = lastOffset(text, 'Dense(5000)');
    const rows: Row[] = [...shipped, ...modules.slice(0, 2), ...(await serverRows(text, hoverAt))];
    printTable(`Netspec checker and server on a ${lines.toLocaleString('en-US')}-line file`, rows);
    console.log(`load average: ${load()} (on ${cpus().length} CPUs)`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
