// Predict on a file in the panel, as plain data: when the button is offered (a run that
// ended with weights, like Export), the message it sends, and the table the panel draws
// from a report (one row per sample: each output's predicted class, the actual class when
// the file has it, and the values, rounded). Pure, so it is tested without a browser.

import type { FromPanel, PredictionReport, RunSnapshot, ToPanel } from '../protocol';
import { exportRequest } from './view/header';

/** What the panel knows of the last prediction: nothing, one under way, its report, or why it failed. */
export type PredictionState = Extract<ToPanel, { type: 'prediction' }> | null;

/**
 * The prediction to show with `snapshot`: one of a run picked in the runs list (it names
 * its run), or one of the run shown; a prediction of an earlier run shown is stale.
 */
export function shownPrediction(snapshot: RunSnapshot | null | undefined, prediction: PredictionState): PredictionState {
  if (!prediction) return null;
  return prediction.runName !== undefined || prediction.runId === snapshot?.runId ? prediction : null;
}

/** The message the Predict button sends for the run shown, or null while it has no weights. */
export function predictRequest(snapshot: RunSnapshot | null | undefined): (FromPanel & { type: 'request-predict' }) | null {
  const exportable = exportRequest(snapshot);
  return exportable ? { type: 'request-predict', runId: exportable.runId } : null;
}

export interface PredictionTable {
  columns: string[];
  rows: { cells: string[]; wrong: boolean }[];
}

const VALUES_SHOWN = 6;

function valuesText(values: number[]): string {
  const shown = values.slice(0, VALUES_SHOWN).map((v) => String(Number(v.toPrecision(3))));
  return values.length > VALUES_SHOWN ? `${shown.join(', ')}, … (${values.length})` : shown.join(', ');
}

/** The predictions table: `#`, then per output its class (and actual) when it has one, and its values. */
export function predictionTable(report: PredictionReport): PredictionTable {
  const first = report.rows[0]?.outputs ?? {};
  const outputs = Object.keys(first);
  const prefix = (name: string, col: string) => (outputs.length > 1 ? `${name} ${col}` : col);
  const columns = ['#'];
  for (const name of outputs) {
    if (first[name].class !== undefined) columns.push(prefix(name, 'predicted'));
    if (first[name].actual !== undefined) columns.push(prefix(name, 'actual'));
    columns.push(prefix(name, first[name].class !== undefined ? 'scores' : 'values'));
  }
  const rows = report.rows.map((r) => {
    const cells = [String(r.index)];
    let wrong = false;
    for (const name of outputs) {
      const o = r.outputs[name];
      if (first[name].class !== undefined) cells.push(o?.class ?? '');
      if (first[name].actual !== undefined) {
        cells.push(o?.actual ?? '');
        if (o?.actual !== undefined && o.actual !== o.class) wrong = true;
      }
      cells.push(o ? valuesText(o.values) : '');
    }
    return { cells, wrong };
  });
  return { columns, rows };
}

/** "accuracy 96.7% · 150 samples", or the sample count alone for a file without targets. */
export function predictionSummary(report: PredictionReport): string {
  const metrics = Object.entries(report.metrics).map(([name, v]) => (/accuracy$/.test(name) ? `${name} ${(v * 100).toFixed(1)}%` : `${name} ${Number(v.toPrecision(4))}`));
  const shown = report.rows.length < report.count ? ` (the first ${report.rows.length} shown)` : '';
  const labelled = metrics.length ? '' : ' · no targets in this file, so no metrics';
  return [...metrics, `${report.count} sample${report.count === 1 ? '' : 's'}${shown}`].join(' · ') + labelled;
}
