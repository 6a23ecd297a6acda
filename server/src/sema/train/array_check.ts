// Checks npy, idx and images sources against the model from their headers, with the
// engine's own rules and messages (engine/src/data arrays.ts, idx.ts, images.ts), so the
// editor reports on the data line what `netspec train` would stop on: a features array
// whose values per sample do not fill the inputs, a targets array with another sample
// count or the wrong values per sample for its output, swapped IDX files, an image folder
// with more classes than the output has units, or images of another size than the input.

import type { Expr, Span } from '../../syntax/ast';
import type { DiagnosticSink, ModelFacts } from '../context';
import type { DataError, DataResult } from '../../../../engine/src/data/data_error';
import { fitFeatureShape, fitTargetShape } from '../../../../engine/src/data/arrays';
import { idxRoleFault } from '../../../../engine/src/data/idx';
import { fitImageLabels, fitImageSize, imageInput } from '../../../../engine/src/data/images';
import { outputSlot, type OutputSlot } from '../../../../engine/src/data/model_fit';
import type { DataInfo } from './data_probe';
import { lossesByOutput } from './train_values';

/** A file argument of the source as probed, with the span of its path in quotes. */
export interface ProbedFile {
  path: string;
  info: DataInfo;
  span: Span;
}

/** What one sample is called in the engine's messages, by source and role. */
const ROLES = {
  npy: { features: 'features', targets: 'targets', noun: 'row', targetNoun: 'row' },
  idx: { features: 'images', targets: 'labels', noun: 'image', targetNoun: 'label' },
} as const;

function report(sink: DiagnosticSink, span: Span, error: DataError): void {
  sink.add(error.code, span, error.message);
}

/** The model's outputs as the engine's slots under the train block's loss; null where one is unknown. */
function outputSlots(facts: ModelFacts, loss: Expr, file: string): { names: string[]; slots: OutputSlot[] } | null {
  const losses = lossesByOutput(loss, facts);
  const slots: OutputSlot[] = [];
  for (const o of facts.outputs) {
    if (!o.shape) return null;
    // As the engine's lossOf: an output that a loss dict leaves out is trained with mse.
    const slot = outputSlot(o.name, o.shape, losses.get(o.name) ?? 'mse', file);
    if (!slot.ok) return null;
    slots.push(slot.value);
  }
  return { names: facts.outputs.map((o) => o.name), slots };
}

/** The header of one array file, its faults reported on its path; null when it cannot be used. */
function header(kind: 'npy' | 'idx', file: ProbedFile | undefined, role: 'images' | 'labels', sink: DiagnosticSink): number[] | null {
  if (!file?.info.ok || !file.info.arrayHeader) return null;
  let h;
  try {
    h = file.info.arrayHeader();
  } catch {
    // The file went away since it was found: the next check reports it missing.
    return null;
  }
  if (!h.ok) {
    report(sink, file.span, h.error);
    return null;
  }
  if (kind === 'idx') {
    const fault = idxRoleFault(h.value.shape, file.path, role);
    if (fault && !fault.ok) {
      report(sink, file.span, fault.error);
      return null;
    }
  }
  return h.value.shape;
}

/** npy(features=, targets=) and idx(images=, labels=): the headers against the inputs and the one output. */
export function checkArrays(kind: 'npy' | 'idx', files: Map<string, ProbedFile>, facts: ModelFacts | undefined, loss: Expr | null, sink: DiagnosticSink): void {
  const role = ROLES[kind];
  const features = files.get(role.features);
  const targets = files.get(role.targets);
  const fshape = header(kind, features, 'images', sink);
  const tshape = header(kind, targets, 'labels', sink);
  if (!facts || facts.hasErrors || !features || !fshape) return;
  const fit = fitFeatureShape(features.path, fshape, role.noun, facts);
  if (!fit.ok) report(sink, features.span, fit.error);
  if (!loss || !targets || !tshape || fshape.length === 0) return;
  const outs = outputSlots(facts, loss, targets.path);
  if (!outs) return;
  const fitted = fitTargetShape(features.path, fshape[0], role.noun, { file: targets.path, shape: tshape, noun: role.targetNoun }, outs.names, outs.slots);
  if (!fitted.ok) report(sink, targets.span, fitted.error);
}

/** images(DIR): the input's shape, the class folders against the output and the first image's size. */
export function checkImages(dir: ProbedFile | undefined, facts: ModelFacts | undefined, loss: Expr | null, sink: DiagnosticSink): void {
  if (!dir?.info.ok || !facts || facts.hasErrors) return;
  if (dir.info.format !== 'folder' || !dir.info.imageFolder) {
    sink.add('data-error', dir.span, `${dir.path} is a file, but images(...) needs a folder with one sub-folder per class`);
    return;
  }
  const input = imageInput(facts, dir.path);
  if (!input.ok) return report(sink, dir.span, input.error);
  let folder;
  try {
    folder = dir.info.imageFolder();
  } catch {
    return;
  }
  if (folder.classes.length === 0) {
    sink.add('data-error', dir.span, "the image folder has no sub-folders; put each class's images in a sub-folder named after the class");
    return;
  }
  const first = (r: DataResult<true>) => {
    if (!r.ok) report(sink, dir.span, r.error);
    return r.ok;
  };
  if (loss) {
    const outs = outputSlots(facts, loss, dir.path);
    if (outs && !first(fitImageLabels(folder.classes, outs.slots, dir.path))) return;
  }
  if (!folder.first) {
    sink.add('data-error', dir.span, 'the class folders hold no .png, .jpg or .jpeg files');
    return;
  }
  const size = folder.first.size;
  if (!size.ok) return report(sink, dir.span, size.error);
  first(fitImageSize(folder.first.path, size.value, input.value));
}
