// What a data file must look like to fit a model, and the checks that say so: how many
// feature values each input takes (features fill the inputs in order, row-major), what
// each output's targets are (class indices under cross_entropy, values otherwise), and
// whether the classes found fit the output's units. Every mismatch is an error value that
// names both numbers, e.g. "iris.csv has 4 feature columns but input x is [batch, 5]".

import type { ModelIR } from '../../catalog/ir';
import { elementCount, formatShape, type Shape } from '../../catalog/shape';
import type { TrainIR } from '../../catalog/train_ir';
import { dataFail, type DataResult } from './data_error';
import type { ArraySet } from './dataset';
import { basename } from './files';

export interface InputSlot {
  name: string;
  shape: number[];
  size: number;
  int: boolean;
}

export interface OutputSlot {
  name: string;
  shape: Shape;
  loss: string;
  /** Class targets (cross_entropy): int32 indices of shape[:-1]; value targets: shape itself. */
  kind: 'class' | 'value';
  /** The shape of one target sample. */
  targetShape: number[];
  /** Values per target sample (1 for a plain classifier). */
  targetSize: number;
  /** Class count (last axis) for class targets. */
  units: number;
}

/** The loss of each output: one for all, or the dict's entry (mse where the dict is silent). */
export function lossOf(config: Pick<TrainIR, 'loss'>, output: string): string {
  if (typeof config.loss === 'string') return config.loss;
  return config.loss[output] ?? 'mse';
}

/** The shape of the tensor that an output names. */
export function outputShape(ir: ModelIR, output: string): Shape | null {
  const out = ir.outputs.find((o) => o.name === output);
  if (!out) return null;
  const node = ir.nodes.find((n) => n.id === out.tensor);
  if (node) return node.shape;
  return ir.inputs.find((i) => i.name === out.tensor)?.shape ?? null;
}

/** The model's inputs with known sizes; a symbolic size cannot be filled from a table. */
export function inputSlots(ir: Pick<ModelIR, 'inputs'>, file: string): DataResult<InputSlot[]> {
  const slots: InputSlot[] = [];
  for (const input of ir.inputs) {
    const size = elementCount(input.shape);
    if (size === null) {
      return dataFail(file, `input ${input.name} is ${formatShape(input.shape)} with a symbolic size; give it fixed sizes to train on ${basename(file)}`, undefined, 'data-mismatch');
    }
    slots.push({ name: input.name, shape: input.shape as number[], size, int: input.dtype === 'int32' });
  }
  return { ok: true, value: slots };
}

export function outputSlots(ir: ModelIR, config: Pick<TrainIR, 'loss'>, file: string): DataResult<OutputSlot[]> {
  const slots: OutputSlot[] = [];
  for (const out of ir.outputs) {
    const slot = outputSlot(out.name, outputShape(ir, out.name) ?? [], lossOf(config, out.name), file);
    if (!slot.ok) return slot;
    slots.push(slot.value);
  }
  return { ok: true, value: slots };
}

/** What output `name` of shape `shape` takes as targets under `loss` (the editor builds these from its own model facts). */
export function outputSlot(name: string, shape: Shape, loss: string, file: string): DataResult<OutputSlot> {
  const kind = loss === 'cross_entropy' ? 'class' : 'value';
  const targetShape = kind === 'class' ? shape.slice(0, -1) : shape;
  const size = elementCount(targetShape);
  if (size === null) {
    return dataFail(file, `output ${name} is ${formatShape(shape)} with a symbolic size; targets cannot be read for it`, undefined, 'data-mismatch');
  }
  const last = shape[shape.length - 1];
  return { ok: true, value: { name, shape, loss, kind, targetShape: targetShape as number[], targetSize: size, units: typeof last === 'number' ? last : 0 } };
}

/** "input x is [batch, 5]" or "inputs a [batch, 2] and b [batch, 3] take 5 values". */
export function describeInputs(ir: Pick<ModelIR, 'inputs'>): string {
  if (ir.inputs.length === 1) return `input ${ir.inputs[0].name} is ${formatShape(ir.inputs[0].shape)}`;
  const list = ir.inputs.map((i) => `${i.name} ${formatShape(i.shape)}`).join(' and ');
  const total = ir.inputs.reduce((a, i) => a + (elementCount(i.shape) ?? 0), 0);
  return `inputs ${list} take ${total} values per sample`;
}

/**
 * Splits a count × width feature matrix into the model's inputs, in input order. Integer
 * inputs (Embedding ids) must hold whole numbers; `at` locates a bad value.
 */
export function fillInputs(
  features: Float32Array,
  count: number,
  slots: InputSlot[],
  file: string,
  at: (row: number, col: number) => { line?: number; column?: number; what: string },
): DataResult<Record<string, ArraySet>> {
  const width = slots.reduce((a, s) => a + s.size, 0);
  const inputs: Record<string, ArraySet> = {};
  let offset = 0;
  for (const slot of slots) {
    const data = slot.int ? new Int32Array(count * slot.size) : new Float32Array(count * slot.size);
    for (let r = 0; r < count; r++) {
      for (let j = 0; j < slot.size; j++) {
        const v = features[r * width + offset + j];
        if (slot.int && !Number.isInteger(v)) {
          const where = at(r, offset + j);
          return dataFail(file, `${where.what} is ${v}, but input ${slot.name} takes integer ids (it is declared int)`, where);
        }
        data[r * slot.size + j] = v;
      }
    }
    inputs[slot.name] = { data, sampleShape: slot.shape };
    offset += slot.size;
  }
  return { ok: true, value: inputs };
}

/**
 * Checks integer class indices against the output's units; `at` locates sample i's value.
 * Returns the first index that does not fit, as an error.
 */
export function checkClassIndices(
  values: Int32Array,
  slot: OutputSlot,
  file: string,
  at: (i: number) => { line?: number; column?: number; what: string },
): DataResult<true> {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < 0 || v >= slot.units) {
      const where = at(i);
      return dataFail(
        file,
        `${where.what} is class ${v}, but output ${slot.name} is ${formatShape(slot.shape)} with ${slot.units} classes (0 to ${slot.units - 1}); widen the output or fix the label`,
        where,
        'data-mismatch',
      );
    }
  }
  return { ok: true, value: true };
}

/** Checks a label list against an output's units, naming both numbers. */
export function checkLabelCount(labels: string[], column: string, slot: OutputSlot, file: string): DataResult<true> {
  if (labels.length > slot.units) {
    return dataFail(
      file,
      `${basename(file)}'s target "${column}" has ${labels.length} classes (${labels.join(', ')}) but output ${slot.name} is ${formatShape(slot.shape)} with ${slot.units} units; make the last Dense ${labels.length} units`,
      { line: 1 },
      'data-mismatch',
    );
  }
  return { ok: true, value: true };
}
