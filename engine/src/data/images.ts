// images(DIR) as a Dataset: one sub-folder per class (sorted folder names are the labels), PNG and JPEG
// decoded by the DataFiles' decodeImage (pngjs and jpeg-js in the CLI). Images are not resized: each must already be
// the input's [H, W, C], else the error names the file and both sizes. Channels: C=1 is the
// average of red, green and blue; C=3 is RGB; C=4 is RGBA. Bytes are scaled to [0, 1].

import type { IRInput, ModelIR } from '../../catalog/ir';
import { formatShape } from '../../catalog/shape';
import type { TrainDataSource } from '../../catalog/train_ir';
import { dataFail, type DataResult } from './data_error';
import type { Dataset } from './dataset';
import { arraysDataset } from './arrays';
import { checkLabelCount, outputSlots, type OutputSlot } from './model_fit';
import type { LoadOptions } from './load_options';
import { basename, extname, joinPath as join, type DirEntry } from './files';

/** The image files that images(DIR) reads; others in a class folder are skipped. */
export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

async function listDir(options: LoadOptions, path: string): Promise<DataResult<DirEntry[]>> {
  const r = await options.files.list(path);
  if (!r.ok) return dataFail(path, `${r.error.message}; images(...) needs a folder with one sub-folder per class (relative paths are resolved against the model file's folder)`);
  return r;
}

/** The model's one input as images(...) fills it: [height, width, channels] with 1, 3 or 4 channels. */
export interface ImageInput {
  input: IRInput;
  height: number;
  width: number;
  channels: number;
}

export function imageInput(ir: Pick<ModelIR, 'inputs'>, dir: string): DataResult<ImageInput> {
  if (ir.inputs.length !== 1) return dataFail(dir, `images(...) feeds one input, but the model has ${ir.inputs.length}`, undefined, 'data-mismatch');
  const input = ir.inputs[0];
  const [h, w, c] = input.shape;
  if (input.shape.length !== 3 || typeof h !== 'number' || typeof w !== 'number' || typeof c !== 'number' || ![1, 3, 4].includes(c)) {
    return dataFail(dir, `images(...) needs an input [height, width, channels] with 1, 3 or 4 channels, but ${input.name} is ${formatShape(input.shape)}`, undefined, 'data-mismatch');
  }
  return { ok: true, value: { input, height: h, width: w, channels: c } };
}

/** The class folders' names as the labels of the model's one output. */
export function fitImageLabels(labels: string[], outs: OutputSlot[], dir: string): DataResult<true> {
  if (outs.length !== 1) return dataFail(dir, `images(...) labels one output, but the model has ${outs.length}`, undefined, 'data-mismatch');
  const slot = outs[0];
  if (slot.kind === 'class') return checkLabelCount(labels, 'folder', slot, dir);
  if (slot.loss !== 'binary_cross_entropy' || labels.length > 2) {
    return dataFail(dir, `images(...) gives class labels, but output ${slot.name} is trained with ${slot.loss}; use cross_entropy`, undefined, 'data-mismatch');
  }
  return { ok: true, value: true };
}

/** An image's size against the input's: images are not resized. */
export function fitImageSize(path: string, size: { width: number; height: number }, fit: ImageInput): DataResult<true> {
  const { width, height } = size;
  if (width !== fit.width || height !== fit.height) {
    // Named with its class folder: the editor reports it on the images(DIR) line, away from the file.
    const named = path.split(/[\\/]/).slice(-2).join('/');
    return dataFail(path, `${named} is ${height}x${width} (height x width), but input ${fit.input.name} is ${formatShape(fit.input.shape)}: ${fit.height}x${fit.width}; resize the images (they are not resized here)`, undefined, 'data-mismatch');
  }
  return { ok: true, value: true };
}

export async function loadImages(source: TrainDataSource, ir: ModelIR, options: LoadOptions): Promise<DataResult<Dataset>> {
  const dir = source.path ?? '';
  const fit = imageInput(ir, dir);
  if (!fit.ok) return fit;
  const { input, height: h, width: w, channels: c } = fit.value;
  const decode = options.files.decodeImage;
  if (!decode) return dataFail(dir, 'images(...) cannot be decoded here (no PNG/JPEG decoder); train it with `netspec train`');
  const entries = await listDir(options, dir);
  if (!entries.ok) return entries;
  const classes = entries.value.filter((e) => e.isDir).map((e) => e.name);
  if (classes.length === 0) return dataFail(dir, 'the image folder has no sub-folders; put each class\'s images in a sub-folder named after the class');

  const fixed = options.labels ? Object.values(options.labels)[0] ?? null : null;
  const labels = fixed ?? classes;
  if (options.targets === 'required') {
    const outs = outputSlots(ir, options.config, dir);
    if (!outs.ok) return outs;
    const fits = fitImageLabels(labels, outs.value, dir);
    if (!fits.ok) return fits;
  }

  const per = h * w * c;
  const pixels: number[] = [];
  const targets: number[] = [];
  for (const cls of classes) {
    const index = labels.indexOf(cls);
    if (index < 0) return dataFail(join(dir, cls), `the class folder "${cls}" is not one of the training labels (${labels.join(', ')})`, undefined, 'data-mismatch');
    const files = await listDir(options, join(dir, cls));
    if (!files.ok) return files;
    for (const { name: f, isDir } of files.value) {
      if (isDir || !IMAGE_EXTENSIONS.has(extname(f).toLowerCase())) continue;
      const path = join(dir, cls, f);
      const bytes = await options.files.read(path, 'image');
      if (!bytes.ok) return bytes;
      const img = await decode(bytes.value, path);
      if (!img.ok) return img;
      const { width, height, data } = img.value;
      const sized = fitImageSize(path, { width, height }, fit.value);
      if (!sized.ok) return sized;
      for (let p = 0; p < h * w; p++) {
        const r = data[p * 4], g = data[p * 4 + 1], b = data[p * 4 + 2], a = data[p * 4 + 3];
        if (c === 1) pixels.push((r + g + b) / 3 / 255);
        else {
          pixels.push(r / 255, g / 255, b / 255);
          if (c === 4) pixels.push(a / 255);
        }
      }
      targets.push(index);
    }
  }
  if (targets.length === 0) return dataFail(dir, 'the class folders hold no .png, .jpg or .jpeg files');
  const count = targets.length;
  return arraysDataset(
    { file: dir, shape: [count, h, w, c], data: Float32Array.from(pixels), noun: 'image' },
    { file: dir, shape: [count], data: Int32Array.from(targets), noun: 'image' },
    ir,
    options,
    labels,
  );
}
