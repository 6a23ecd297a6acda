// The tensor work of one batch: a training step (forward in training mode, the losses, the
// regularizer, gradients, BatchNorm updates, then the optimizer) and an evaluation batch
// (forward in inference mode, the losses). Every tensor a batch creates is released before
// it returns, so device memory stays flat over an epoch. What the host needs — the total
// loss, each output's loss and, when metrics are on, the predictions — is packed into one
// tensor: read back at once (`trainStep`, `evalBatch`), or kept on the device and read
// with other steps' in one download (`trainStepDeferred`, the WebGPU loop).

import type { ModelIR } from '../../catalog/ir';
import { valueAndGrads } from '../autograd/backward';
import { regularization } from '../losses';
import type { Regularizer } from '../losses';
import type { Model } from '../model';
import * as o from '../ops';
import type { Optimizer } from '../optimizers';
import { tensorWith, tidy } from '../tensor';
import type { Tensor } from '../tensor';
import { outputLoss, targetTensor, weightedSum } from './objective';
import type { OutputLoss } from './objective';
import { gatherRows, gatherRowsInto, type Dataset } from '../data/dataset';

/** What the host reads back from one batch. */
export interface BatchValues {
  /** Σ weight · loss (+ the regularizer in training). */
  total: number;
  /** Each output's unweighted loss, in output order. */
  perOutput: number[];
  /** Each output's predictions, row-major (empty when metrics are off). */
  predictions: Record<string, Float32Array>;
  /** Each output's batch shape. */
  shapes: Record<string, number[]>;
}

/** A training step whose values are still on the device: read later, with other steps'. */
export interface PendingStep {
  /** [total, each output's loss, each output's predictions...], flat. */
  packed: Tensor;
  shapes: Record<string, number[]>;
}

export type BatchResult = { ok: true; values: BatchValues } | { ok: false; message: string; node?: string; line?: number };

export class BatchRunner {
  /** The output shapes of the batch last packed, to cut the download apart. */
  private shapes: Record<string, number[]> = {};

  constructor(
    private readonly model: Model,
    private readonly specs: readonly OutputLoss[],
    private readonly regularizer: Regularizer | null,
    private readonly optimizer: Optimizer,
    private readonly wantPredictions: boolean,
  ) {}

  /** The input tensors of the samples `rows`, shaped like the IR's inputs (batch first). */
  inputsOf(data: Dataset, rows: Int32Array): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const input of this.model.ir.inputs) {
      out[input.name] = batchTensor(this.model.ir, input.name, data, rows);
    }
    return out;
  }

  /**
   * One training step on `inputs` (the rows `rows` of `data`). When the loss is not finite
   * the optimizer is not run, so the weights stay those that produced it. `lr`: this step's
   * learning rate (a schedule's), else the optimizer's own.
   */
  async trainStep(data: Dataset, rows: Int32Array, inputs: Record<string, Tensor>, step: number, lr?: number): Promise<BatchResult> {
    const params = this.model.trainable();
    const r = this.forwardBackward(data, rows, inputs, step);
    if (!r.ok) return r;
    try {
      const values = await this.unpack(r.packed, r.shapes);
      if (Number.isFinite(values.total)) tidy(() => this.optimizer.step(params, r.grads, lr));
      return { ok: true, values };
    } finally {
      r.packed.dispose();
      for (const g of r.grads) g.dispose();
    }
  }

  /**
   * A training step that reads nothing back: the optimizer runs whatever the loss, and the
   * caller reads the returned values later (`valuesOf`), with other steps' in one download.
   * A non-finite loss is found at that read; the caller then restores the state from
   * before and replays the steps through `trainStep` (which skips the update).
   */
  trainStepDeferred(data: Dataset, rows: Int32Array, inputs: Record<string, Tensor>, step: number, lr?: number): { ok: true; pending: PendingStep } | Extract<BatchResult, { ok: false }> {
    const params = this.model.trainable();
    const r = this.forwardBackward(data, rows, inputs, step);
    if (!r.ok) return r;
    try {
      tidy(() => this.optimizer.step(params, r.grads, lr));
      return { ok: true, pending: { packed: r.packed, shapes: r.shapes } };
    } finally {
      for (const g of r.grads) g.dispose();
    }
  }

  /** The values of a deferred step from its part of a download. */
  valuesOf(data: Float32Array, shapes: Record<string, number[]>): BatchValues {
    return this.unpackData(data, shapes);
  }

  private forwardBackward(
    data: Dataset,
    rows: Int32Array,
    inputs: Record<string, Tensor>,
    step: number,
  ): { ok: true; packed: Tensor; grads: Tensor[]; shapes: Record<string, number[]> } | Extract<BatchResult, { ok: false }> {
    let failure: Extract<BatchResult, { ok: false }> | null = null;
    const params = this.model.trainable();
    const packed = tidy(() => {
      let outputs: Record<string, Tensor> = {};
      let losses: Tensor[] = [];
      const { value, grads } = valueAndGrads(() => {
        const f = this.model.forward(inputs, { training: true, step });
        if (!f.ok) {
          failure = { ok: false, message: f.error.message, node: f.error.node, line: f.error.line };
          return o.scalar(0);
        }
        outputs = f.outputs;
        const ls = this.losses(outputs, data, rows);
        if (typeof ls === 'string') {
          failure = { ok: false, message: ls };
          return o.scalar(0);
        }
        losses = ls;
        const total = weightedSum(this.specs, losses);
        const penalty = this.regularizer ? regularization(this.model.regularized(), this.regularizer) : null;
        return penalty ? o.add(total, penalty) : total;
      }, params);
      if (failure) return null;
      this.model.applyUpdates();
      return { packed: this.pack(value, losses, outputs), grads };
    });
    if (!packed) return failure ?? { ok: false, message: 'the step failed' };
    return { ok: true, packed: packed.packed, grads: packed.grads, shapes: { ...this.shapes } };
  }

  /** The losses and predictions of one batch in inference mode (no regularizer). */
  async evalBatch(data: Dataset, rows: Int32Array): Promise<BatchResult> {
    const inputs = this.inputsOf(data, rows);
    let failure: BatchResult | null = null;
    try {
      const packed = tidy(() => {
        const f = this.model.forward(inputs, { training: false });
        if (!f.ok) {
          failure = { ok: false, message: f.error.message, node: f.error.node, line: f.error.line };
          return null;
        }
        const ls = this.losses(f.outputs, data, rows);
        if (typeof ls === 'string') {
          failure = { ok: false, message: ls };
          return null;
        }
        return this.pack(weightedSum(this.specs, ls), ls, f.outputs);
      });
      if (!packed) return failure ?? { ok: false, message: 'the evaluation failed' };
      try {
        return { ok: true, values: await this.unpack(packed, this.shapes) };
      } finally {
        packed.dispose();
      }
    } finally {
      for (const t of Object.values(inputs)) t.dispose();
    }
  }

  /** The regularizer's current penalty, read back (0 without one). */
  async penalty(): Promise<number> {
    if (!this.regularizer) return 0;
    const t = tidy(() => regularization(this.model.regularized(), this.regularizer!));
    if (!t) return 0;
    try {
      return (await t.data())[0];
    } finally {
      t.dispose();
    }
  }

  private losses(outputs: Record<string, Tensor>, data: Dataset, rows: Int32Array): Tensor[] | string {
    const out: Tensor[] = [];
    for (const spec of this.specs) {
      const y = outputs[spec.output];
      const values = gatherRows(data.targets[spec.output], rows, spec.loss === 'cross_entropy' ? 'int32' : 'float32');
      const target = targetTensor(spec, values, y.shape);
      if (typeof target === 'string') return target;
      out.push(outputLoss(spec, y, target));
    }
    return out;
  }

  /** [total, each output's loss, each output's predictions...] as one flat tensor. */
  private pack(total: Tensor, losses: Tensor[], outputs: Record<string, Tensor>): Tensor {
    const parts = [o.reshape(total, [1]), ...losses.map((l) => o.reshape(l, [1]))];
    this.shapes = {};
    for (const spec of this.specs) {
      const y = outputs[spec.output];
      this.shapes[spec.output] = [...y.shape];
      if (this.wantPredictions) parts.push(o.reshape(y.dtype === 'float32' ? y : o.cast(y, 'float32'), [y.size]));
    }
    return o.concat(parts, 0);
  }

  private async unpack(packed: Tensor, shapes: Record<string, number[]>): Promise<BatchValues> {
    return this.unpackData((await packed.data()) as Float32Array, shapes);
  }

  private unpackData(data: Float32Array, shapes: Record<string, number[]>): BatchValues {
    const n = this.specs.length;
    const perOutput = Array.from(data.subarray(1, 1 + n));
    const predictions: Record<string, Float32Array> = {};
    let at = 1 + n;
    if (this.wantPredictions) {
      for (const spec of this.specs) {
        const size = shapes[spec.output].reduce((p, d) => p * d, 1);
        predictions[spec.output] = Float32Array.from(data.subarray(at, at + size));
        at += size;
      }
    }
    return { total: data[0], perOutput, predictions, shapes: { ...shapes } };
  }
}

/** One input's rows as a tensor shaped [rows, ...the IR input's shape] (the data's shape where symbolic). */
function batchTensor(ir: ModelIR, name: string, data: Dataset, rows: Int32Array): Tensor {
  const input = ir.inputs.find((i) => i.name === name)!;
  const set = data.inputs[name];
  const shape = input.shape.every((d) => typeof d === 'number') ? (input.shape as number[]) : set.sampleShape;
  return tensorWith([rows.length, ...shape], input.dtype, (into) => gatherRowsInto(set, rows, into));
}
