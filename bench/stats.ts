// Timing helpers and the table every benchmark prints: measurement, value, target, ratio.

import { performance } from 'node:perf_hooks';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median milliseconds of `runs` calls after `warmup` untimed calls. */
export function timeSync(fn: () => void, runs: number, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export async function timeAsync(fn: () => Promise<void>, runs: number, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export interface Row {
  measurement: string;
  value: number;
  unit: string;
  target: number;
}

/** Prints rows as an aligned table; ratio = value / target (below 1 meets the target). */
export function printTable(title: string, rows: Row[]): void {
  const cells = rows.map((r) => [
    r.measurement,
    Number.isFinite(r.value) ? `${r.value.toFixed(2)} ${r.unit}` : 'n/a',
    `${r.target} ${r.unit}`,
    Number.isFinite(r.value) ? `${(r.value / r.target).toFixed(2)}${r.value <= r.target ? '' : '  (over)'}` : 'n/a',
  ]);
  const header = ['measurement', 'value', 'target', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}

/** The p-th percentile (0-100) of xs, nearest rank. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}
