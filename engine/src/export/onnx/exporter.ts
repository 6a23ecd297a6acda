// The ONNX exporter: walks the model's IR once, mapping each node to ONNX operators (opset
// 17), and writes model.onnx; with int8, also model.int8.onnx (per-channel symmetric int8
// kernels and embeddings behind DequantizeLinear; with a train block's data, the inputs of
// Dense and convolutions quantized statically to uint8, calibrated on training rows, see
// calibrate.ts; weight-only otherwise) and what that costs on the validation data. Inputs and outputs keep the model's names; the batch axis is the dynamic
// axis "batch" and a symbolic size is a dynamic axis of its own name; data stays NHWC; int
// inputs (Embedding ids) are int64.

import type { IRNode, ModelIR } from '../../../catalog/ir';
import type { Shape } from '../../../catalog/shape';
import type { NamedArray } from '../../train/types';
import type { ExportFile, ExportOptions, ExportOutcome, ExportSource, Exporter, ValidationData } from '../types';
import { calibrate, calibrationSample, CALIBRATION_ROWS, STATIC_QUANT_OPS, type ActivationQuants } from './calibrate';
import { FLOAT, GraphBuilder, INT64, OPSET, valueInfo } from './graph_builder';
import { measureInt8 } from './int8_report';
import type { LayerMapping } from './layer_context';
import { BASIC_MAPPINGS } from './layers_basic';
import { POINTWISE_MAPPINGS } from './layers_pointwise';
import { REARRANGE_MAPPINGS } from './layers_rearrange';
import { SEQUENCE_MAPPINGS } from './layers_sequence';
import { BIDIRECTIONAL_MAPPINGS } from './layers_bidirectional';
import { CONV_TRANSPOSE_MAPPINGS } from './layers_conv_transpose';
import { DEPTHWISE_MAPPINGS } from './layers_depthwise';

export const ONNX_MAPPINGS: Readonly<Record<string, LayerMapping>> = { ...BASIC_MAPPINGS, ...SEQUENCE_MAPPINGS, ...POINTWISE_MAPPINGS, ...REARRANGE_MAPPINGS, ...BIDIRECTIONAL_MAPPINGS, ...CONV_TRANSPOSE_MAPPINGS, ...DEPTHWISE_MAPPINGS };

export type BuildResult = { ok: true; builder: GraphBuilder } | { ok: false; message: string; node?: string; line?: number };

function elemType(dtype: string): number {
  return dtype === 'int32' ? INT64 : FLOAT;
}

function batched(shape: Shape): (string | number)[] {
  return ['batch', ...shape];
}

/** The ONNX graph of `ir` with `weights` (engine names and layouts). */
export function buildOnnxGraph(ir: ModelIR, weights: readonly NamedArray[]): BuildResult {
  const b = new GraphBuilder();
  const byName = new Map(weights.map((w) => [w.name, w]));
  const values = new Map<string, string>();
  const shapes = new Map<string, Shape>();
  for (const input of ir.inputs) {
    b.claim(input.name);
    b.inputs.push(valueInfo(input.name, elemType(input.dtype), batched(input.shape)));
    values.set(input.name, input.name);
    shapes.set(input.name, input.shape);
  }
  const outputNames = ir.outputs.filter((o) => b.claim(o.name)).map((o) => o.name);
  for (const node of ir.nodes) {
    const mapping = Object.prototype.hasOwnProperty.call(ONNX_MAPPINGS, node.op) ? ONNX_MAPPINGS[node.op] : undefined;
    if (!mapping) return fail(node, `the layer ${node.op} (${node.id}) cannot be expressed in ONNX`);
    const missing = node.weights.find((w) => !byName.has(`${node.id}/${w.name}`));
    if (missing) return fail(node, `the weights lack ${node.id}/${missing.name}`);
    let out: string | { error: string };
    try {
      out = mapping({
        b,
        node,
        inputs: node.inputs.map((i) => values.get(i)!),
        shapes: node.inputs.map((i) => shapes.get(i)!),
        weight: (local) => byName.get(`${node.id}/${local}`)!,
      });
    } catch (e) {
      out = { error: e instanceof Error ? e.message : String(e) };
    }
    if (typeof out !== 'string') return fail(node, `the layer ${node.op} (${node.id}) cannot be expressed in ONNX: ${out.error}`);
    values.set(node.id, out);
    shapes.set(node.id, node.shape);
  }
  for (const o of ir.outputs) {
    if (!outputNames.includes(o.name)) continue; // an input that is also an output keeps its name
    b.op('Identity', [values.get(o.tensor)!], o.name, {}, [o.name]);
    const dtype = ir.nodes.find((n) => n.id === o.tensor)?.dtype ?? ir.inputs.find((i) => i.name === o.tensor)?.dtype ?? 'float32';
    b.outputs.push(valueInfo(o.name, elemType(dtype), batched(shapes.get(o.tensor)!)));
  }
  for (const o of ir.outputs) {
    if (outputNames.includes(o.name)) continue;
    const input = ir.inputs.find((i) => i.name === o.name);
    if (input) b.outputs.push(valueInfo(o.name, elemType(input.dtype), batched(input.shape)));
  }
  return { ok: true, builder: b };
}

function fail(node: IRNode, message: string): BuildResult {
  return { ok: false, message, node: node.id, line: node.line };
}

function metadataOf(source: ExportSource): Record<string, string> {
  const out: Record<string, string> = { 'netspec.model': source.model.name, 'netspec.trained': String(source.trained) };
  if (source.metadata.labels) out['netspec.labels'] = source.metadata.labels;
  return out;
}

async function run(source: ExportSource, options: ExportOptions): Promise<ExportOutcome> {
  const built = buildOnnxGraph(source.model, source.weights);
  if (!built.ok) return { ok: false, error: { message: built.message, node: built.node, line: built.line } };
  const doc = `${source.model.name}, exported by netspec (NHWC data; batch axis "batch")`;
  const meta = metadataOf(source);
  const float = built.builder.encode(source.model.name, false, doc, meta);
  const files: ExportFile[] = [{ path: 'model.onnx', data: float }];
  const notes: string[] = [];
  const report: Record<string, unknown> = { opset: OPSET, onnxBytes: float.length };
  if (options.quantize === 'int8') {
    const data = options.validation ? await options.validation() : null;
    const acts = await calibration(source, data, notes, report);
    const how = acts
      ? 'int8 weights (per-channel symmetric) and calibrated uint8 activations (QDQ)'
      : 'int8 weights (per-channel symmetric, DequantizeLinear)';
    const int8 = built.builder.encode(source.model.name, true, `${doc}; ${how}`, meta, acts ?? undefined);
    files.push({ path: 'model.int8.onnx', data: int8 });
    const ratio = int8.length / float.length;
    report.int8Bytes = int8.length;
    report.int8SizeRatio = Number(ratio.toFixed(4));
    notes.push(`model.int8.onnx is ${int8.length} bytes, ${(ratio * 100).toFixed(1)}% of model.onnx (${float.length} bytes)`);
    await int8Accuracy(source, data, acts, notes, report);
  }
  return { ok: true, files, notes, report };
}

/**
 * The calibrated activation quantization (static int8), or null for weight-only int8, with
 * a note saying why.
 */
async function calibration(source: ExportSource, data: ValidationData | null, notes: string[], report: Record<string, unknown>): Promise<ActivationQuants | null> {
  const weightOnly = (why: string): null => {
    report.int8Mode = 'weight-only';
    notes.push(`int8 is weight-only (activations stay float): ${why}`);
    return null;
  };
  if (!source.model.nodes.some((n) => STATIC_QUANT_OPS.has(n.op))) return weightOnly('the model has no Dense or convolution to quantize statically');
  if (!data) return weightOnly('no training data to calibrate activations on (the model has no train block with data)');
  if (!data.ok) return weightOnly(`the training data could not be read: ${data.message}`);
  if (!data.calibration || data.calibration.count === 0) return weightOnly('no training data to calibrate activations on');
  const sample = calibrationSample(data.calibration, CALIBRATION_ROWS, source.train?.seed ?? 0);
  const c = await calibrate(source.model, source.weights, sample);
  if (!c.ok) return weightOnly(`calibration failed: ${c.message}`);
  report.int8Mode = 'static';
  report.int8Calibration = {
    data: 'the training data',
    rows: c.rows,
    activations: Object.fromEntries([...c.quants].map(([key, q]) => [key, { min: q.min, max: q.max, scale: q.scale, zeroPoint: q.zeroPoint }])),
  };
  const outputs = [...c.quants.keys()].filter((k) => k.endsWith(':output')).length;
  const inputs = c.quants.size - outputs;
  const also = outputs ? ` and the outputs of ${outputs} convolution(s)` : '';
  notes.push(`int8 activations: the inputs of ${inputs} Dense/convolution layer(s)${also} quantized to uint8 (per tensor), calibrated on ${c.rows} rows of the training data`);
  return c.quants;
}

async function int8Accuracy(
  source: ExportSource,
  loaded: ValidationData | null,
  acts: ActivationQuants | null,
  notes: string[],
  report: Record<string, unknown>,
): Promise<void> {
  if (!loaded) {
    notes.push('the accuracy change of int8 was not measured (no data to measure it on)');
    return;
  }
  if (!loaded.ok) {
    notes.push(`the accuracy change of int8 was not measured: ${loaded.message}`);
    return;
  }
  const m = await measureInt8(source.model, source.train, source.weights, loaded.data, acts ?? undefined);
  if (!m.ok) {
    notes.push(`the accuracy change of int8 was not measured: ${m.message}`);
    return;
  }
  report.int8Validation = { data: loaded.what, samples: m.samples, outputs: m.outputs };
  for (const [name, o] of Object.entries(m.outputs)) {
    const acc = o.accuracyChange !== undefined
      ? `accuracy ${o.floatAccuracy!.toFixed(4)} -> ${o.int8Accuracy!.toFixed(4)} (change ${o.accuracyChange >= 0 ? '+' : ''}${o.accuracyChange.toFixed(4)}), `
      : '';
    notes.push(`int8 on ${loaded.what} (${m.samples} samples), output ${name}: ${acc}largest output change ${o.maxAbsChange.toPrecision(3)}`);
  }
}

export const onnxExporter: Exporter = {
  format: 'onnx',
  summary: `model.onnx (opset ${OPSET}, NHWC, dynamic batch); --quantize int8 adds model.int8.onnx`,
  quantizes: true,
  run,
};
