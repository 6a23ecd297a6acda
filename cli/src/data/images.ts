// images(DIR) as a Dataset: one sub-folder per class (sorted folder names are the labels),
// PNG read with pngjs and JPEG with jpeg-js. Images are not resized: each must already be
// the input's [H, W, C], else the error names the file and both sizes. Channels: C=1 is
// the average of red, green and blue; C=3 is RGB; C=4 is RGBA. Bytes are scaled to [0, 1].

import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import type { ModelIR } from '../../../engine/catalog/ir';
import { formatShape } from '../../../engine/catalog/shape';
import type { TrainDataSource } from '../../../engine/catalog/train_ir';
import { dataFail, type DataResult } from '../../../engine/src/data/data_error';
import type { Dataset } from '../../../engine/src/train/types';
import { arraysDataset } from './arrays';
import { checkLabelCount, outputSlots } from './model_fit';
import type { LoadOptions } from './options';
import { readBytes } from './source_file';

const EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Decodes one PNG or JPEG file to RGBA bytes. */
export function decodeImage(bytes: Uint8Array, file: string): DataResult<Rgba> {
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  try {
    if (isPng) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { ok: true, value: { width: png.width, height: png.height, data: new Uint8Array(png.data) } };
    }
    if (isJpeg) {
      const jpg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true });
      return { ok: true, value: { width: jpg.width, height: jpg.height, data: jpg.data } };
    }
  } catch (e) {
    return dataFail(file, `the image cannot be decoded (${e instanceof Error ? e.message : String(e)}); re-save it as PNG or JPEG`);
  }
  return dataFail(file, 'the file is neither PNG nor JPEG (its first bytes are not a PNG or JPEG signature)');
}

async function listDir(path: string): Promise<DataResult<string[]>> {
  try {
    const s = await stat(path);
    if (!s.isDirectory()) return dataFail(path, 'images(...) needs a folder with one sub-folder per class, but this is a file');
    return { ok: true, value: (await readdir(path)).sort() };
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'EIO';
    if (code === 'ENOENT') return dataFail(path, 'the image folder does not exist; check the path (relative paths are resolved against the model file\'s folder)');
    return dataFail(path, `the image folder cannot be read (${code})`);
  }
}

export async function loadImages(source: TrainDataSource, ir: ModelIR, options: LoadOptions): Promise<DataResult<Dataset>> {
  const dir = source.path ?? '';
  if (ir.inputs.length !== 1) return dataFail(dir, `images(...) feeds one input, but the model has ${ir.inputs.length}`, undefined, 'data-mismatch');
  const input = ir.inputs[0];
  const [h, w, c] = input.shape;
  if (input.shape.length !== 3 || typeof h !== 'number' || typeof w !== 'number' || typeof c !== 'number' || ![1, 3, 4].includes(c)) {
    return dataFail(dir, `images(...) needs an input [height, width, channels] with 1, 3 or 4 channels, but ${input.name} is ${formatShape(input.shape)}`, undefined, 'data-mismatch');
  }
  const entries = await listDir(dir);
  if (!entries.ok) return entries;
  const classes: string[] = [];
  for (const e of entries.value) if ((await stat(join(dir, e))).isDirectory()) classes.push(e);
  if (classes.length === 0) return dataFail(dir, 'the image folder has no sub-folders; put each class\'s images in a sub-folder named after the class');

  const fixed = options.labels ? Object.values(options.labels)[0] ?? null : null;
  const labels = fixed ?? classes;
  if (options.targets === 'required') {
    const outs = outputSlots(ir, options.config, dir);
    if (!outs.ok) return outs;
    if (outs.value.length !== 1) return dataFail(dir, `images(...) labels one output, but the model has ${outs.value.length}`, undefined, 'data-mismatch');
    const slot = outs.value[0];
    if (slot.kind === 'class') {
      const fits = checkLabelCount(labels, 'folder', slot, dir);
      if (!fits.ok) return fits;
    } else if (slot.loss !== 'binary_cross_entropy' || labels.length > 2) {
      return dataFail(dir, `images(...) gives class labels, but output ${slot.name} is trained with ${slot.loss}; use cross_entropy`, undefined, 'data-mismatch');
    }
  }

  const per = h * w * c;
  const pixels: number[] = [];
  const targets: number[] = [];
  for (const cls of classes) {
    const index = labels.indexOf(cls);
    if (index < 0) return dataFail(join(dir, cls), `the class folder "${cls}" is not one of the training labels (${labels.join(', ')})`, undefined, 'data-mismatch');
    const files = await listDir(join(dir, cls));
    if (!files.ok) return files;
    for (const f of files.value) {
      if (!EXTENSIONS.has(extname(f).toLowerCase())) continue;
      const path = join(dir, cls, f);
      const bytes = await readBytes(path, 'image');
      if (!bytes.ok) return bytes;
      const img = decodeImage(bytes.value, path);
      if (!img.ok) return img;
      const { width, height, data } = img.value;
      if (width !== w || height !== h) {
        return dataFail(path, `${basename(path)} is ${height}x${width} (height x width), but input ${input.name} is ${formatShape(input.shape)}: ${h}x${w}; resize the images (they are not resized here)`, undefined, 'data-mismatch');
      }
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
