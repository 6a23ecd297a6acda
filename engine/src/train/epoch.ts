// One epoch's numbers: the training loss as the sample-weighted mean of the batch losses
// (so a short last batch counts for its size, as Keras 3 does), each output's loss for a
// multi-output model, the metrics accumulated over every sample, and the validation pass
// with the same metrics under `val_` names.

import { MetricAccumulator, metricNamesOf, type MetricSpec } from './metrics';
import { metricOutputs } from './objective';
import type { OutputLoss } from './objective';
import type { BatchRunner, BatchValues } from './pass';
import { identityRows, type BatchSource } from '../data/batch_source';
import { gatherRows, type Dataset } from '../data/dataset';

export type EvalResult = { ok: true; metrics: Record<string, number> } | { ok: false; message: string; node?: string; line?: number };

/** Sums of losses and metric counts over the batches of one pass. */
class Totals {
  samples = 0;
  loss = 0;
  perOutput: number[];
  metrics: MetricAccumulator | null = null;

  constructor(
    private readonly specs: readonly OutputLoss[],
    private readonly metricNames: MetricSpec,
  ) {
    this.perOutput = specs.map(() => 0);
  }

  add(values: BatchValues, data: Dataset, rows: Int32Array): void {
    const n = rows.length;
    this.samples += n;
    this.loss += values.total * n;
    values.perOutput.forEach((v, i) => (this.perOutput[i] += v * n));
    if (metricNamesOf(this.metricNames).length === 0) return;
    this.metrics ??= new MetricAccumulator(metricOutputs(this.specs, values.shapes), this.metricNames);
    for (const spec of this.specs) {
      const target = gatherRows(data.targets[spec.output], rows);
      this.metrics.add(spec.output, values.predictions[spec.output], target);
    }
  }

  /** loss, each output's `NAME_loss` (several outputs only), and the metrics, under `prefix`. */
  results(prefix: string, penalty: number): Record<string, number> {
    const out: Record<string, number> = {};
    const s = Math.max(this.samples, 1);
    out[`${prefix}loss`] = this.loss / s + penalty;
    if (this.specs.length > 1) this.specs.forEach((spec, i) => (out[`${prefix}${spec.output}_loss`] = this.perOutput[i] / s));
    if (this.metrics) Object.assign(out, this.metrics.results(prefix));
    return out;
  }
}

export class EpochRecorder {
  private readonly train: Totals;

  constructor(
    private readonly specs: readonly OutputLoss[],
    private readonly metricNames: MetricSpec,
  ) {
    this.train = new Totals(specs, metricNames);
  }

  /** Adds one training batch: `rows` of `data` (the batch's own Dataset). */
  addTrain(values: BatchValues, data: Dataset, rows: Int32Array): void {
    this.train.add(values, data, rows);
  }

  /** The training metrics; the batch losses already include the regularizer. */
  trainMetrics(): Record<string, number> {
    return this.train.results('', 0);
  }

  /** Runs the validation data in batches in inference mode; val_loss includes the regularizer, as Keras's does. */
  async evaluate(runner: BatchRunner, validation: BatchSource, batchSize: number): Promise<EvalResult> {
    const totals = new Totals(this.specs, this.metricNames);
    for (let start = 0; start < validation.count; start += batchSize) {
      const wanted = new Int32Array(Math.min(batchSize, validation.count - start));
      for (let i = 0; i < wanted.length; i++) wanted[i] = start + i;
      const batch = await validation.batch(wanted);
      const rows = identityRows(wanted.length);
      const r = await runner.evalBatch(batch, rows);
      if (!r.ok) return r;
      totals.add(r.values, batch, rows);
    }
    return { ok: true, metrics: totals.results('val_', await runner.penalty()) };
  }
}
