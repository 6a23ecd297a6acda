// What `netspec predict --report` prints and the panel's Predict on a file draws: the first
// rows with each output's values and predicted class, and, when the file holds the targets,
// the metrics (accuracy of a classifier, mse and mae of a regression) and each classifier's
// confusion matrix with precision, recall and f1. Pure, so the numbers are tested as is.

import type { ModelIR } from '../../engine/catalog/ir';
import type { ArraySet } from '../../engine/src/data/dataset';
import { accuracyOf } from '../../engine/src/train/metrics';
import type { OutputRows } from '../../engine/src/train/predict';
import type { PredictedRow, PredictionReport } from '../../webview/protocol';
import { classReport, predictedClass } from '../../webview/src/report';

/** Rows the report lists (the panel shows them in a scrolling table). */
export const REPORT_ROWS = 20;

export interface ReportInputs {
  model: string;
  data: string;
  ir: ModelIR;
  outputs: Record<string, OutputRows>;
  count: number;
  /** Outputs read as classes (cross_entropy with one index per sample, or binary). */
  classifiers: Set<string>;
  labels: Record<string, string[] | null>;
  /** The file's targets by output, when it has them. */
  targets?: Record<string, ArraySet>;
}

const round = (x: number) => Number(x.toPrecision(5));

/** Metric names as training names them: plain for one output, prefixed for several. */
function metricName(ir: ModelIR, output: string, metric: string): string {
  return ir.outputs.length === 1 ? metric : `${output}_${metric}`;
}

function regressionErrors(rows: readonly Float32Array[], target: ArraySet): { mse: number; mae: number } {
  let se = 0;
  let ae = 0;
  let n = 0;
  rows.forEach((row, i) => {
    const per = row.length;
    for (let j = 0; j < per; j++) {
      const d = row[j] - target.data[i * per + j];
      se += d * d;
      ae += Math.abs(d);
      n++;
    }
  });
  return { mse: n ? se / n : 0, mae: n ? ae / n : 0 };
}

export function predictionReport(r: ReportInputs): PredictionReport {
  const label = (output: string, k: number) => r.labels[output]?.[k] ?? String(k);
  const rows: PredictedRow[] = [];
  for (let i = 0; i < Math.min(r.count, REPORT_ROWS); i++) {
    const outputs: PredictedRow['outputs'] = {};
    for (const o of r.ir.outputs) {
      const row = r.outputs[o.name].rows[i];
      const entry: PredictedRow['outputs'][string] = { values: Array.from(row, round) };
      if (r.classifiers.has(o.name)) {
        entry.class = label(o.name, predictedClass(row));
        const t = r.targets?.[o.name];
        if (t) entry.actual = label(o.name, t.data[i]);
      }
      outputs[o.name] = entry;
    }
    rows.push({ index: i, outputs });
  }
  const metrics: Record<string, number> = {};
  const classes: PredictionReport['classes'] = [];
  for (const o of r.ir.outputs) {
    const target = r.targets?.[o.name];
    if (!target) continue;
    const rowsOf = r.outputs[o.name].rows;
    const report = r.classifiers.has(o.name) ? classReport({ output: o.name, rows: rowsOf, targets: target.data, labels: r.labels[o.name] ?? null }) : null;
    if (report) {
      classes.push(report);
      metrics[metricName(r.ir, o.name, 'accuracy')] = round(accuracyOf(report.confusion));
    } else {
      const e = regressionErrors(rowsOf, target);
      metrics[metricName(r.ir, o.name, 'mse')] = round(e.mse);
      metrics[metricName(r.ir, o.name, 'mae')] = round(e.mae);
    }
  }
  return { model: r.model, data: r.data, count: r.count, rows, metrics, classes };
}
