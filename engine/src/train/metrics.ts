// Training metrics of spec §5 (accuracy, mae, mse, precision, recall, f1), computed the way
// a reader checks them by hand: from confusion counts and error sums accumulated over every
// sample of an epoch, never by averaging per-batch values (which would weight a short last
// batch like a full one and make macro f1 meaningless). Names follow Keras: plain for a
// single-output model, prefixed by the output name ("out_a_accuracy") for several.

import { isClassMetric, type LossEntry } from '../../catalog/train/index';

/**
 * How an output's predictions are read. `classes`: the last axis holds one score per class
 * (cross_entropy) and the target is a class index per row. `binary`: each element is a
 * probability of the positive class (binary_cross_entropy). `regression`: plain values
 * (mse, mae); classification metrics on it threshold prediction and target at 0.5, as
 * Keras's binary accuracy does.
 */
export type OutputKind = LossEntry['reads'];

export interface MetricOutput {
  name: string;
  kind: OutputKind;
  /** Classes for `classes` (the size of the last axis); 2 otherwise. */
  classes: number;
  /** For `classes`: the scores are probabilities (a softmax output) rather than logits. */
  probabilities: boolean;
}


/**
 * The train block's metrics: a list applies each metric to the outputs it fits, Keras-style
 * (classification metrics to `classes` and `binary` outputs, mae and mse to every output); a
 * dict names each output's metrics, computed as asked.
 */
export type MetricSpec = readonly string[] | Readonly<Record<string, readonly string[]>>;

/** The metrics computed for one output under `spec`. */
export function metricsFor(output: Pick<MetricOutput, 'name' | 'kind'>, spec: MetricSpec): string[] {
  if (isMetricList(spec)) return spec.filter((m) => output.kind !== 'regression' || !isClassMetric(m));
  return [...(spec[output.name] ?? [])];
}

/** Every metric name `spec` mentions (for validation). */
export function metricNamesOf(spec: MetricSpec): string[] {
  return isMetricList(spec) ? [...spec] : Object.values(spec).flat();
}

function isMetricList(spec: MetricSpec): spec is readonly string[] {
  return Array.isArray(spec);
}

/** Counts `[target][predicted]` for integer class indices; out-of-range pairs are skipped. */
export function confusionMatrix(pred: ArrayLike<number>, target: ArrayLike<number>, classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const n = Math.min(pred.length, target.length);
  for (let i = 0; i < n; i++) {
    const p = pred[i];
    const t = target[i];
    if (Number.isInteger(p) && Number.isInteger(t) && p >= 0 && t >= 0 && p < classes && t < classes) m[t][p]++;
  }
  return m;
}

/** Accuracy from a confusion matrix: the diagonal over the total (0 for no samples). */
export function accuracyOf(m: number[][]): number {
  let diag = 0;
  let total = 0;
  m.forEach((row, i) => row.forEach((v, j) => ((total += v), i === j && (diag += v))));
  return total ? diag / total : 0;
}

/**
 * Macro precision, recall and f1 as scikit-learn computes them: per class over the classes
 * that occur in targets or predictions, a 0/0 ratio counts as 0, f1 is the mean of the
 * per-class f1 values. With `positive` set, only that class is scored (binary outputs).
 */
export function precisionRecallF1(m: number[][], positive?: number): { precision: number; recall: number; f1: number } {
  const c = m.length;
  const classes: number[] = [];
  for (let k = 0; k < c; k++) {
    if (positive !== undefined ? k === positive : rowSum(m, k) + colSum(m, k) > 0) classes.push(k);
  }
  if (classes.length === 0) return { precision: 0, recall: 0, f1: 0 };
  let p = 0;
  let r = 0;
  let f = 0;
  for (const k of classes) {
    const tp = m[k][k];
    const pk = ratio(tp, colSum(m, k));
    const rk = ratio(tp, rowSum(m, k));
    p += pk;
    r += rk;
    f += pk + rk > 0 ? (2 * pk * rk) / (pk + rk) : 0;
  }
  return { precision: p / classes.length, recall: r / classes.length, f1: f / classes.length };
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

function rowSum(m: number[][], k: number): number {
  return m[k].reduce((s, v) => s + v, 0);
}

function colSum(m: number[][], k: number): number {
  return m.reduce((s, row) => s + row[k], 0);
}

interface Stats {
  confusion: number[][];
  absSum: number;
  sqSum: number;
  elements: number;
}

/** Accumulates predictions against targets over an epoch, per output, then reports metrics. */
export class MetricAccumulator {
  private stats = new Map<string, Stats>();

  constructor(
    readonly outputs: readonly MetricOutput[],
    readonly metrics: MetricSpec,
  ) {
    this.reset();
  }

  reset(): void {
    for (const o of this.outputs) {
      this.stats.set(o.name, { confusion: confusionMatrix([], [], o.classes), absSum: 0, sqSum: 0, elements: 0 });
    }
  }

  /**
   * Adds a batch of one output: `pred` row-major as the model produced it; `target` one
   * class index per row for `classes`, else one value per element.
   */
  add(output: string, pred: ArrayLike<number>, target: ArrayLike<number>): void {
    const o = this.outputs.find((x) => x.name === output);
    const s = this.stats.get(output);
    if (!o || !s) return;
    if (o.kind === 'classes') this.addClasses(o, s, pred, target);
    else {
      const n = Math.min(pred.length, target.length);
      for (let i = 0; i < n; i++) {
        const d = pred[i] - target[i];
        s.absSum += Math.abs(d);
        s.sqSum += d * d;
        const p = pred[i] > 0.5 ? 1 : 0;
        const t = target[i] > 0.5 ? 1 : 0;
        s.confusion[t][p]++;
      }
      s.elements += n;
    }
  }

  private addClasses(o: MetricOutput, s: Stats, pred: ArrayLike<number>, target: ArrayLike<number>): void {
    const c = o.classes;
    const rows = Math.min(Math.floor(pred.length / c), target.length);
    const probs = new Float64Array(c);
    for (let r = 0; r < rows; r++) {
      let best = 0;
      let max = -Infinity;
      for (let k = 0; k < c; k++) {
        const v = pred[r * c + k];
        if (v > max) ((max = v), (best = k));
      }
      const t = target[r];
      if (Number.isInteger(t) && t >= 0 && t < c) s.confusion[t][best]++;
      // mae and mse compare probabilities (a softmax of logits) with the one-hot target.
      let total = 0;
      for (let k = 0; k < c; k++) {
        const v = pred[r * c + k];
        probs[k] = o.probabilities ? v : Math.exp(v - max);
        total += probs[k];
      }
      for (let k = 0; k < c; k++) {
        const d = (o.probabilities ? probs[k] : probs[k] / total) - (k === t ? 1 : 0);
        s.absSum += Math.abs(d);
        s.sqSum += d * d;
      }
      s.elements += c;
    }
  }

  /** The requested metrics by Keras name, each prefixed by `prefix` ("val_" for validation). */
  results(prefix = ''): Record<string, number> {
    const out: Record<string, number> = {};
    const multi = this.outputs.length > 1;
    for (const o of this.outputs) {
      const s = this.stats.get(o.name)!;
      const prf = precisionRecallF1(s.confusion, o.kind === 'classes' ? undefined : 1);
      for (const metric of metricsFor(o, this.metrics)) {
        const name = `${prefix}${multi ? `${o.name}_` : ''}${metric}`;
        switch (metric) {
          case 'accuracy': out[name] = accuracyOf(s.confusion); break;
          case 'mae': out[name] = s.elements ? s.absSum / s.elements : 0; break;
          case 'mse': out[name] = s.elements ? s.sqSum / s.elements : 0; break;
          case 'precision': out[name] = prf.precision; break;
          case 'recall': out[name] = prf.recall; break;
          case 'f1': out[name] = prf.f1; break;
        }
      }
    }
    return out;
  }

  /** The confusion counts of one output so far (a copy), for the editor's charts. */
  confusion(output: string): number[][] {
    return (this.stats.get(output)?.confusion ?? []).map((row) => [...row]);
  }
}
