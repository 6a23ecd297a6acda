// The data budget is a memory bound: `netspec train` (dist/cli.js, built by `npm run
// build`) on a generated CSV several times NETSPEC_DATA_BUDGET_MB peaks at no more resident
// memory than the same command on a 200-row file with the same columns, plus the budget,
// plus a constant. The peak is the operating system's account (maxRSS), written by the CLI
// as it exits when NETSPEC_PEAK_RSS_FILE is set (cli/src/peak_rss.ts).
//
// The constant, RUNTIME_SLACK_MB = 112, is what V8 does differently on a long run than on a
// tiny one, whatever the file's size: under sustained parsing its young generation grows to
// three 16 MB semi-spaces (48 MB) that a 200-row file never needs, and it lets up to 64 MB of
// dead ArrayBuffers (the training steps' arrays) pile up before it forces a collection. Before
// the fix this run peaked at several times the CSV's size: the checker read the whole file as
// one string and kept its lines for the life of the process.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';

const CLI = resolve('dist/cli.js');
const BUDGET_MB = 8;
const RUNTIME_SLACK_MB = 112;
const CSV_MB = 64;

const dir = mkdtempSync(join(tmpdir(), 'netspec-memory-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a CSV of eight features and a text label, in pieces, until it holds `mb` MiB. */
function writeCsv(path: string, mb: number | null, rows = Infinity): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, 'a,b,c,d,e,f,g,h,label\n');
    let bytes = 0;
    let i = 0;
    const names = ['cat', 'dog', 'eel'];
    while (i < rows && (mb === null || bytes < mb * 1024 * 1024)) {
      const lines: string[] = [];
      for (let k = 0; k < 10_000 && i < rows; k++, i++) {
        const cells = Array.from({ length: 8 }, (_v, j) => (((i * 7919 + j * 104729) % 10007) / 10007).toFixed(5));
        lines.push(`${cells.join(',')},${names[i % 3]}`);
      }
      const text = lines.join('\n') + '\n';
      writeSync(fd, text);
      bytes += text.length;
    }
  } finally {
    closeSync(fd);
  }
}

function model(csv: string): string {
  return `model Big {\n  input x: [8]\n  Dense(16, activation=relu)\n  Dense(3)\n}\n\ntrain Big {\n  data = csv("${csv}", target="label")\n  loss = cross_entropy\n  optimizer = adam(lr=0.01)\n  epochs = 1\n  batch_size = 512\n  validation = 0.1\n  seed = 1\n}\n`;
}

/** Trains `file` with the budget and returns the exit status, stderr and peak RSS in MiB. */
function trainPeak(file: string, tmp: string): { status: number | null; stderr: string; peakMb: number } {
  const peakFile = join(dir, 'peak.txt');
  rmSync(peakFile, { force: true });
  const r = spawnSync(process.execPath, [CLI, 'train', file, '--backend', 'cpu', '--out', join(dir, 'w.safetensors')], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, TMPDIR: tmp, NETSPEC_DATA_BUDGET_MB: String(BUDGET_MB), NETSPEC_PEAK_RSS_FILE: peakFile },
  });
  return { status: r.status, stderr: r.stderr, peakMb: Number(readFileSync(peakFile, 'utf8')) / 1024 };
}

test(`training on a ${CSV_MB} MB CSV with NETSPEC_DATA_BUDGET_MB=${BUDGET_MB} peaks within the budget plus ${RUNTIME_SLACK_MB} MB of a tiny run`, (t) => {
  writeCsv(join(dir, 'big.csv'), CSV_MB);
  writeCsv(join(dir, 'tiny.csv'), null, 200);
  writeFileSync(join(dir, 'big.netspec'), model('big.csv'));
  writeFileSync(join(dir, 'tiny.netspec'), model('tiny.csv'));
  const tmp = mkdtempSync(join(tmpdir(), 'netspec-memory-rows-'));
  try {
    const tiny = trainPeak('tiny.netspec', tmp);
    assert.equal(tiny.status, 0, tiny.stderr);
    const big = trainPeak('big.netspec', tmp);
    assert.equal(big.status, 0, big.stderr);
    assert.match(big.stderr, /training from rows read from disk/, 'the big file is over the budget');
    const csvMb = statSync(join(dir, 'big.csv')).size / 1024 / 1024;
    t.diagnostic(`peak RSS: ${big.peakMb.toFixed(0)} MB for a ${csvMb.toFixed(0)} MB CSV, ${tiny.peakMb.toFixed(0)} MB for 200 rows, budget ${BUDGET_MB} MB`);
    assert.ok(
      big.peakMb <= tiny.peakMb + BUDGET_MB + RUNTIME_SLACK_MB,
      `peak ${big.peakMb.toFixed(0)} MB exceeds ${tiny.peakMb.toFixed(0)} (tiny run) + ${BUDGET_MB} (budget) + ${RUNTIME_SLACK_MB} MB`,
    );
    assert.deepEqual(readdirSync(tmp).filter((d) => d.startsWith('netspec-rows-')), [], 'the row folder is gone');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
