// What the run minimises, read from the IR and the train settings: one loss per model output
// (a single loss for all, or one per output name), its weight, and whether cross-entropy
// reads the output as probabilities. That last choice is made from the IR, as spec §5 says:
// an output produced by a Softmax layer or by a layer with `activation = softmax` holds
// probabilities; any other output holds logits. Also: turning a batch of targets into the
// tensor the loss expects, checked against the output's real shape.

import type { ModelIR } from '../../catalog/ir';
import type { TrainIR } from '../../catalog/train_ir';
import { byName, LOSSES, namesOf } from '../../catalog/train/index';
import { loss as lossOf } from '../losses';
import type { LossName } from '../losses';
import * as o from '../ops';
import { tensor } from '../tensor';
import type { Tensor } from '../tensor';
import type { MetricOutput, OutputKind } from './metrics';


export interface OutputLoss {
  /** The model output's name. */
  output: string;
  /** The IR node that produces it (null when the output is an input passed through). */
  node: string | null;
  line: number | undefined;
  loss: LossName;
  weight: number;
  probabilities: boolean;
  kind: OutputKind;
}

export type ObjectiveResult = { ok: true; outputs: OutputLoss[] } | { ok: false; message: string };

/** The loss of every output, or a message naming the output or loss that does not fit. */
export function objectiveOf(ir: ModelIR, config: TrainIR): ObjectiveResult {
  const outputs: OutputLoss[] = [];
  const names = new Set(ir.outputs.map((x) => x.name));
  if (typeof config.loss === 'object') {
    for (const key of Object.keys(config.loss)) {
      if (!names.has(key)) return { ok: false, message: `the loss names output ${key}, which model ${ir.name} does not have` };
    }
  }
  for (const key of Object.keys(config.lossWeights ?? {})) {
    if (!names.has(key)) return { ok: false, message: `loss_weights names output ${key}, which model ${ir.name} does not have` };
  }
  for (const out of ir.outputs) {
    const name = typeof config.loss === 'string' ? config.loss : config.loss[out.name];
    if (name === undefined) return { ok: false, message: `the loss has no entry for output ${out.name}` };
    const entry = byName(LOSSES, name);
    if (!entry) return { ok: false, message: `unknown loss ${name}; use one of ${namesOf(LOSSES).join(', ')}` };
    const node = ir.nodes.find((n) => n.id === out.tensor) ?? null;
    const probabilities = node !== null && (node.op === 'Softmax' || node.args.activation === 'softmax');
    const loss: LossName = entry.name;
    const kind: OutputKind = entry.reads;
    const weight = config.lossWeights?.[out.name] ?? 1;
    outputs.push({ output: out.name, node: node?.id ?? null, line: node?.line, loss, weight, probabilities, kind });
  }
  return { ok: true, outputs };
}

/** How the metrics read each output, given the outputs' real batch shapes. */
export function metricOutputs(specs: readonly OutputLoss[], shapes: Record<string, readonly number[]>): MetricOutput[] {
  return specs.map((s) => {
    const shape = shapes[s.output] ?? [];
    const classes = s.kind === 'classes' ? (shape[shape.length - 1] ?? 2) : 2;
    return { name: s.output, kind: s.kind, classes, probabilities: s.probabilities };
  });
}

/**
 * The target tensor for an output of shape `outShape` (batch first): class indices of the
 * leading axes for cross-entropy, else values of exactly the output's shape. A mismatch in
 * the number of values is a message, never a silent broadcast.
 */
export function targetTensor(spec: OutputLoss, values: Float32Array | Int32Array, outShape: readonly number[]): Tensor | string {
  if (spec.loss === 'cross_entropy') {
    const shape = outShape.slice(0, -1);
    const n = shape.reduce((p, d) => p * d, 1);
    const classes = outShape[outShape.length - 1];
    if (values.length !== n) {
      return `output ${spec.output} predicts ${n / Math.max(outShape[0], 1)} class distribution(s) per sample, but its targets hold ${values.length / Math.max(outShape[0], 1)} class indices per sample`;
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isInteger(v) || v < 0 || v >= classes) {
        return `a target of output ${spec.output} is ${v}, not a class index from 0 to ${classes - 1}`;
      }
    }
    return tensor(values, shape, 'int32');
  }
  const n = outShape.reduce((p, d) => p * d, 1);
  if (values.length !== n) {
    return `output ${spec.output} gives ${n / Math.max(outShape[0], 1)} values per sample, but its targets hold ${values.length / Math.max(outShape[0], 1)}`;
  }
  return tensor(values, outShape, 'float32');
}

/** The unweighted loss of one output. */
export function outputLoss(spec: OutputLoss, y: Tensor, target: Tensor): Tensor {
  return lossOf(spec.loss, y, target, spec.probabilities);
}

/** Σ weight · loss over outputs (the weights are plain numbers, so this records on the tape). */
export function weightedSum(specs: readonly OutputLoss[], losses: readonly Tensor[]): Tensor {
  let total: Tensor | null = null;
  specs.forEach((s, i) => {
    const term = s.weight === 1 ? losses[i] : o.affine(losses[i], s.weight);
    total = total ? o.add(total, term) : term;
  });
  return total ?? o.scalar(0);
}
