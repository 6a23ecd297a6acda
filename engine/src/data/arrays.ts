// Array sources as a Dataset: npy(features=, targets=) and idx(images=, labels=). Both give
// one features array [N, ...] and one targets array [N, ...]; this module checks the sample
// counts agree, the per-sample sizes fit the model's inputs and its one output, and that
// class targets are whole numbers within the output's units. IDX pixel bytes are scaled
// (unsigned to [0, 1], signed to [-1, 1): idx.ts's idxScale), and so are the bytes of
// images(DIR) (to [0, 1]); npy values are used as they are.

import type { ModelIR } from '../../catalog/ir';
import { formatShape } from '../../catalog/shape';
import type { TrainDataSource } from '../../catalog/train_ir';
import { dataFail, type DataResult } from './data_error';
import { idxRoleFault, idxScale, parseIdx } from './idx';
import { parseNpy } from './npy';
import type { ArraySet, Dataset } from './dataset';
import { checkClassIndices, describeInputs, fillInputs, inputSlots, outputSlots, type InputSlot, type OutputSlot } from './model_fit';
import type { LoadOptions } from './load_options';
import { basename } from './files';
import type { DataFiles } from './files';

/** An array read from a file, with what one of its samples is called in messages. */
export interface FileArray {
  file: string;
  shape: number[];
  data: Float32Array | Int32Array;
  /** "image", "row": one sample. */
  noun: string;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Checks a features array's shape [N, ...] against the model's inputs: N samples of `slots`. */
export function fitFeatureShape(file: string, shape: number[], noun: string, ir: Pick<ModelIR, 'inputs'>): DataResult<{ count: number; slots: InputSlot[] }> {
  const ins = inputSlots(ir, file);
  if (!ins.ok) return ins;
  if (shape.length === 0) return dataFail(file, `${basename(file)} holds a single value; it must be an array with one ${noun} per sample along its first axis`, undefined, 'data-mismatch');
  const per = shape.slice(1).reduce((a, b) => a * b, 1);
  const width = ins.value.reduce((a, s) => a + s.size, 0);
  if (per !== width) {
    return dataFail(file, `${basename(file)} has shape [${shape.join(', ')}]: ${per} values per ${noun}, but ${describeInputs(ir)}${ir.inputs.length === 1 ? ` (${width} values)` : ''}`, undefined, 'data-mismatch');
  }
  return { ok: true, value: { count: shape[0], slots: ins.value } };
}

/** Shapes feature and target arrays to the model; targets may be null when predicting. */
export function arraysDataset(features: FileArray, targets: FileArray | null, ir: ModelIR, options: LoadOptions, labels: string[] | null = null): DataResult<Dataset> {
  const file = features.file;
  const fit = fitFeatureShape(file, features.shape, features.noun, ir);
  if (!fit.ok) return fit;
  const { count, slots } = fit.value;
  const feats = features.data instanceof Float32Array ? features.data : Float32Array.from(features.data);
  const inputs = fillInputs(feats, count, slots, file, (r, c) => ({ what: `${features.noun} ${r}, value ${c}` }));
  if (!inputs.ok) return inputs;
  const dataset: Dataset = { count, inputs: inputs.value, targets: {}, labels: {} };
  if (!targets || options.targets === 'ignore') return { ok: true, value: dataset };
  const fitted = fitTargets(file, count, features.noun, targets, ir, options);
  if (!fitted.ok) return fitted;
  dataset.targets[fitted.value.name] = fitted.value.set;
  dataset.labels![fitted.value.name] = labels;
  return { ok: true, value: dataset };
}

/**
 * Checks the shape of a targets array (its values unread) against the model's outputs
 * (`names`, their slots `outs`) and the `count` samples of the features file `file`: one
 * output, as many samples, and the values per sample the output takes. Returns that output.
 */
export function fitTargetShape(file: string, count: number, noun: string, targets: Pick<FileArray, 'file' | 'shape' | 'noun'>, names: string[], outs: OutputSlot[]): DataResult<OutputSlot> {
  if (outs.length !== 1) {
    return dataFail(targets.file, `${basename(targets.file)} is one targets array, but the model has ${outs.length} outputs (${names.join(', ')}); use csv or json with target={OUTPUT: COLUMN, ...}`, undefined, 'data-mismatch');
  }
  const slot = outs[0];
  const tcount = targets.shape[0] ?? 1;
  if (tcount !== count) {
    return dataFail(targets.file, `${basename(targets.file)} has ${plural(tcount, targets.noun)} but ${basename(file)} has ${plural(count, noun)}; the two files must hold the same samples in the same order`, undefined, 'data-mismatch');
  }
  const tper = targets.shape.slice(1).reduce((a, b) => a * b, 1);
  if (tper !== slot.targetSize) {
    const what = slot.kind === 'class' ? `${slot.targetSize} class ${slot.targetSize === 1 ? 'index' : 'indices'}` : `${slot.targetSize} values`;
    return dataFail(targets.file, `${basename(targets.file)} has shape [${targets.shape.join(', ')}]: ${tper} values per sample, but output ${slot.name} ${formatShape(slot.shape)} under ${slot.loss} takes ${what} per sample`, undefined, 'data-mismatch');
  }
  return { ok: true, value: slot };
}

/**
 * Checks a targets array against the model's one output and the `count` samples of the
 * features file `file`, and converts it: int32 class indices or finite float32 values.
 */
export function fitTargets(file: string, count: number, noun: string, targets: FileArray, ir: ModelIR, options: LoadOptions): DataResult<{ name: string; set: ArraySet }> {
  const outs = outputSlots(ir, options.config, targets.file);
  if (!outs.ok) return outs;
  const fitted = fitTargetShape(file, count, noun, targets, ir.outputs.map((o) => o.name), outs.value);
  if (!fitted.ok) return fitted;
  const slot = fitted.value;
  let data: Float32Array | Int32Array;
  if (slot.kind === 'class') {
    data = new Int32Array(targets.data.length);
    for (let i = 0; i < targets.data.length; i++) {
      const v = targets.data[i];
      if (!Number.isInteger(v)) {
        return dataFail(targets.file, `${targets.noun} ${Math.floor(i / slot.targetSize)} is ${v}; class targets under cross_entropy must be whole class indices (save them as int32)`, undefined, 'data-mismatch');
      }
      data[i] = v;
    }
    const fits = checkClassIndices(data, slot, targets.file, (i) => ({ what: `${targets.noun} ${Math.floor(i / slot.targetSize)}` }));
    if (!fits.ok) return fits;
  } else {
    data = targets.data instanceof Float32Array ? targets.data : Float32Array.from(targets.data);
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) return dataFail(targets.file, `${targets.noun} ${Math.floor(i / slot.targetSize)} is ${data[i]}; NaN and infinite targets cannot be trained on`);
    }
  }
  const set: ArraySet = { data, sampleShape: slot.targetShape };
  return { ok: true, value: { name: slot.name, set } };
}

export function checkFinite(a: FileArray): DataResult<true> {
  if (!(a.data instanceof Float32Array)) return { ok: true, value: true };
  const per = a.shape.slice(1).reduce((x, y) => x * y, 1);
  for (let i = 0; i < a.data.length; i++) {
    if (!Number.isFinite(a.data[i])) {
      return dataFail(a.file, `${a.noun} ${Math.floor(i / per)} holds ${a.data[i]} at value ${i % per}; NaN and infinite values cannot be trained on (clean the array first)`);
    }
  }
  return { ok: true, value: true };
}

export async function npyFile(files: DataFiles, path: string, noun: string): Promise<DataResult<FileArray>> {
  const bytes = await files.read(path, 'npy file');
  if (!bytes.ok) return bytes;
  const parsed = parseNpy(bytes.value, path);
  if (!parsed.ok) return parsed;
  const a: FileArray = { file: path, shape: parsed.value.shape, data: parsed.value.data, noun };
  const finite = checkFinite(a);
  return finite.ok ? { ok: true, value: a } : finite;
}

/** An IDX images (`scale`: pixel bytes scaled by idxScale) or labels file, its rank checked against the role. */
export async function idxFile(files: DataFiles, path: string, noun: string, scale: boolean): Promise<DataResult<FileArray>> {
  const raw = await files.read(path, 'IDX file');
  if (!raw.ok) return raw;
  let bytes = raw.value;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await files.gunzip(bytes);
    } catch (e) {
      return dataFail(path, `the gzip data is corrupt (${(e as Error).message}); re-download the file`);
    }
  }
  const parsed = parseIdx(bytes, path);
  if (!parsed.ok) return parsed;
  const role = idxRoleFault(parsed.value.shape, path, scale ? 'images' : 'labels');
  if (role) return role;
  let data: Float32Array | Int32Array = parsed.value.data;
  const divisor = idxScale(bytes[2]);
  if (scale && divisor !== 1) {
    // A plain loop: Float32Array.from with a map function costs a call per value (47M for MNIST).
    const from = data;
    const out = new Float32Array(from.length);
    for (let i = 0; i < from.length; i++) out[i] = from[i] / divisor;
    data = out;
  }
  const a: FileArray = { file: path, shape: parsed.value.shape, data, noun };
  const finite = checkFinite(a);
  return finite.ok ? { ok: true, value: a } : finite;
}

export async function loadNpy(source: TrainDataSource, ir: ModelIR, options: LoadOptions): Promise<DataResult<Dataset>> {
  const fpath = source.files?.features;
  if (!fpath) return dataFail('npy', 'npy(...) needs features="FILE.npy"', undefined, 'data-mismatch');
  const features = await npyFile(options.files, fpath, 'row');
  if (!features.ok) return features;
  let targets: FileArray | null = null;
  const tpath = source.files?.targets;
  if (options.targets === 'required') {
    if (!tpath) return dataFail(fpath, 'npy(...) needs targets="FILE.npy" to train on', undefined, 'data-mismatch');
    const t = await npyFile(options.files, tpath, 'row');
    if (!t.ok) return t;
    targets = t.value;
  }
  return arraysDataset(features.value, targets, ir, options);
}

export async function loadIdx(source: TrainDataSource, ir: ModelIR, options: LoadOptions): Promise<DataResult<Dataset>> {
  const ipath = source.files?.images;
  if (!ipath) return dataFail('idx', 'idx(...) needs images="FILE"', undefined, 'data-mismatch');
  const images = await idxFile(options.files, ipath, 'image', true);
  if (!images.ok) return images;
  let labels: FileArray | null = null;
  const lpath = source.files?.labels;
  if (options.targets === 'required') {
    if (!lpath) return dataFail(ipath, 'idx(...) needs labels="FILE" to train on', undefined, 'data-mismatch');
    const l = await idxFile(options.files, lpath, 'label', false);
    if (!l.ok) return l;
    labels = l.value;
  }
  return arraysDataset(images.value, labels, ir, options);
}
