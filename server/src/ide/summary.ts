// The spec §7 JSON form of a file's models (shapes with a leading "batch", symbolic sizes as
// strings), shared by the `netspec/summary` request and anything else that prints it, and
// the model list without spans that the `netspec/modelIR` request returns.

import type { ModelIR } from '../../../engine/catalog/ir';
import type { TrainIR } from '../../../engine/catalog/train_ir';
import { shapeToJson, type DType, type Shape } from '../../../engine/catalog/shape';
import type { CheckedFile, LayerSummary, ModelSummary } from '../sema/checked';
import { lowerTrain } from '../sema/train/lower';
import type { TrainDecl } from '../syntax/ast';

type JsonShape = (number | string)[] | null;

export interface ModelJson {
  name: string;
  params: number;
  trainableParams: number;
  inputs: { name: string; shape: JsonShape }[];
  outputs: { name: string; shape: JsonShape }[];
  layers: { line: number; op: string; outputShape: JsonShape; params: number }[];
}

function json(shape: Shape | null): JsonShape {
  return shape === null ? null : shapeToJson(shape);
}

export function modelsJson(checked: CheckedFile): ModelJson[] {
  return checked.models.map((m) => ({
    name: m.name,
    params: m.params,
    trainableParams: m.trainableParams,
    inputs: m.inputs.map((i) => ({ name: i.name, shape: json(i.shape) })),
    outputs: m.outputs.map((o) => ({ name: o.name, shape: json(o.shape) })),
    layers: m.layers.map((l) => ({ line: l.line, op: l.op, outputShape: json(l.outputShape), params: l.params })),
  }));
}

/** A ModelSummary without its source spans (what the client needs to train). */
export interface ModelInfo {
  name: string;
  params: number;
  trainableParams: number;
  flops: number | null;
  inputs: { name: string; shape: Shape; dtype: DType }[];
  outputs: { name: string; shape: Shape | null }[];
  layers: LayerSummary[];
  ir: ModelIR | null;
}

export function withoutSpans(m: ModelSummary): ModelInfo {
  const { span: _span, nameSpan: _nameSpan, ...rest } = m;
  return rest;
}

/**
 * The `netspec/modelIR` answer: every model, the IR of the one asked for (or the trained
 * one, or the only one), and that model's lowered train block (data paths resolved against
 * `path`, the model file's path), or null when it has none. `ir` is null when the model
 * has errors, so a client refuses to train it whatever `train` says. `trained` names the
 * models that have a train block, in file order (a client asks which to train).
 */
export function modelIR(
  checked: CheckedFile,
  model?: string,
  path?: string,
): { models: ModelInfo[]; ir: ModelIR | null; train: TrainIR | null; trained: string[] } {
  const models = checked.models.map(withoutSpans);
  const trains = checked.file.decls.filter((d): d is TrainDecl => d.kind === 'Train' && d.model !== null);
  let chosen: ModelSummary | undefined;
  if (model !== undefined) chosen = checked.models.find((m) => m.name === model);
  else {
    const name = trains[0]?.model?.name;
    chosen = checked.models.find((m) => m.name === name) ?? (checked.models.length === 1 ? checked.models[0] : undefined);
  }
  const decl = chosen ? trains.find((t) => t.model?.name === chosen.name) : undefined;
  const train = decl ? lowerTrain(decl, { path }) : null;
  return { models, ir: chosen?.ir ?? null, train, trained: trains.map((t) => t.model!.name) };
}
