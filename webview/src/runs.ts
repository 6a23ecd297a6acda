// The numbers and words behind the panel's runs list, apart from the DOM so Node tests
// check them: one line of best metrics, one of settings, the settings that differ between
// the runs picked for comparison, and their curves aligned on one epoch axis for the overlay.

import type { TrainIR } from '../../engine/catalog/train_ir';
import type { RunCurves, RunRecord } from '../protocol';
import { formatDuration } from './series';

function num(v: number): string {
  return Math.abs(v) >= 1000 ? v.toFixed(0) : String(Number(v.toPrecision(4)));
}

/** "val_loss 0.2134 · val_accuracy 0.95 (epoch 12)": validation first, then training metrics. */
export function bestText(r: RunRecord): string {
  if (!r.best) return '—';
  const entries = Object.entries(r.best.metrics).sort((a, b) => Number(b[0].startsWith('val_')) - Number(a[0].startsWith('val_')));
  return `${entries.map(([k, v]) => `${k} ${num(v)}`).join(' · ')} (epoch ${r.best.epoch})`;
}

/** "adam lr=0.02 · batch 16 · 60 epochs · seed 1". */
export function settingsText(r: RunRecord): string {
  const s = r.settings;
  const parts = [`${s.optimizer}${s.lr !== null ? ` lr=${s.lr}` : ''}`, `batch ${s.batchSize}`, `${s.epochs} epochs`];
  if (s.seed !== null) parts.push(`seed ${s.seed}`);
  if (s.schedule) parts.push(s.schedule);
  return parts.join(' · ');
}

/** The train block's settings in one line, for the panel's header: "adam lr=0.02 · batch 16 · 60 epochs · seed 1". */
export function trainSummary(train: TrainIR): string {
  const lr = train.optimizer?.args?.lr;
  const parts = [`${train.optimizer?.name ?? '?'}${typeof lr === 'number' ? ` lr=${lr}` : ''}`, `batch ${train.batchSize}`, `${train.epochs} epochs`];
  if (train.seed !== null && train.seed !== undefined) parts.push(`seed ${train.seed}`);
  if (train.schedule) parts.push(train.schedule.name);
  return parts.join(' · ');
}

/** "WebGPU · nvidia / ampere (extension host)". */
export function deviceText(r: RunRecord): string {
  const d = r.device;
  if (!d) return '—';
  const where = d.place === 'host' ? 'extension host' : d.place === 'cli' ? 'netspec train' : 'panel';
  return `${d.name === 'webgpu' ? `WebGPU · ${d.detail}` : d.detail} (${where})`;
}

export function durationText(r: RunRecord): string {
  return r.durationMs === null ? (r.status === 'running' ? 'running' : '—') : formatDuration(r.durationMs / 1000);
}

/** The settings (flattened: optimizer arguments as `optimizer.beta1`) whose values differ between `runs`. */
export function settingsDiff(runs: readonly RunRecord[]): { key: string; values: string[] }[] {
  const flat = runs.map((r) => {
    const { optimizerArgs, ...rest } = r.settings;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(rest)) out[k] = v === null ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    for (const [k, v] of Object.entries(optimizerArgs ?? {})) if (k !== 'lr') out[`optimizer.${k}`] = String(v);
    out.device = deviceText(r);
    return out;
  });
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))];
  return keys
    .map((key) => ({ key, values: flat.map((f) => f[key] ?? '—') }))
    .filter((row) => runs.length > 1 && new Set(row.values).size > 1);
}

/** Metric names the picked runs report, val_loss first when any has it. */
export function overlayMetrics(curves: readonly RunCurves[]): string[] {
  const names = new Set<string>();
  for (const c of curves) for (const e of c.epochs) for (const k of Object.keys(e.metrics ?? {})) names.add(k);
  const order = ['val_loss', 'loss'];
  return [...names].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
}

/** One x axis (epochs 1..the longest run) and one series per run, null where a run has no value. */
export function overlayData(curves: readonly RunCurves[], metric: string): { x: number[]; series: (number | null)[][] } {
  const last = curves.reduce((m, c) => Math.max(m, ...c.epochs.map((e) => e.epoch)), 0);
  const x = Array.from({ length: last }, (_, i) => i + 1);
  const series = curves.map((c) => {
    const byEpoch = new Map(c.epochs.map((e) => [e.epoch, e.metrics?.[metric]]));
    return x.map((ep) => {
      const v = byEpoch.get(ep);
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    });
  });
  return { x, series };
}
