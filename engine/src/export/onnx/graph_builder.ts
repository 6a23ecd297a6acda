// A small ONNX graph builder: unique value names, nodes with typed attributes, constant and
// weight initializers, and a graph's inputs and outputs with named dynamic axes. A weight
// that int8 export may quantize is kept in the engine's (Keras) layout with a description of
// how it becomes the ONNX layout (column groups reordered, axes permuted, a final shape), so
// the float and the int8 model come from one walk of the IR: `encode()` writes either the
// float initializer or an int8 one with per-channel scales behind a DequantizeLinear node.
// Bytes are produced by onnx-proto's generated encoder.

import onnxproto from 'onnx-proto';
import type { Dim } from '../../../catalog/shape';
import type { ActivationQuants } from './calibrate';
import { permute, quantizeChannels, reorderGroups, type QuantPlan } from './quantize';

const { onnx } = onnxproto;

export const OPSET = 17;
/** IR version 8 goes with opsets 15 to 18 (ONNX's versioning table). */
const IR_VERSION = 8;

export const FLOAT = onnx.TensorProto.DataType.FLOAT;
export const INT8 = onnx.TensorProto.DataType.INT8;
export const UINT8 = onnx.TensorProto.DataType.UINT8;
export const INT32 = onnx.TensorProto.DataType.INT32;
export const INT64 = onnx.TensorProto.DataType.INT64;

/** An attribute: a number is an int, `{ f }` a float, an array ints. */
export type AttrValue = number | string | number[] | { f: number } | { floats: number[] } | { graph: onnxproto.onnx.IGraphProto };
export type Attrs = Record<string, AttrValue | undefined>;

/** A weight in engine layout and how it reaches the ONNX layout; see the file comment. */
export interface WeightLayout {
  /** The engine's data and shape (Keras layout). */
  data: Float32Array;
  shape: number[];
  /** How int8 quantizes it (null: stays float). */
  quant: QuantPlan | null;
  /** Reorder `groups.length` equal column groups of the last axis: new group g = old groups[g]. */
  groups?: number[];
  /** Axis permutation applied after the reorder. */
  perm?: number[];
  /** The final ONNX shape (a reshape of the permuted data). */
  dims: number[];
  /** The ONNX axis the per-channel scales lie on in `dims`. */
  axis: number;
}

function attribute(name: string, v: AttrValue): onnxproto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return { name, type: T.INT, i: v };
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if ('f' in v) return { name, type: T.FLOAT, f: v.f };
  if ('floats' in v) return { name, type: T.FLOATS, floats: v.floats };
  return { name, type: T.GRAPH, g: v.graph };
}

function bytesOf(a: Float32Array | Int8Array | Int32Array | BigInt64Array): Uint8Array {
  // ONNX raw_data is little-endian, as every platform Node runs on.
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}

export function valueInfo(name: string, elemType: number, dims: (Dim | null)[]): onnxproto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (d === null ? {} : typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function uniqueIn(set: Set<string>, base: string): string {
  let name = base;
  for (let n = 1; set.has(name); n++) name = `${base}_${n}`;
  set.add(name);
  return name;
}

export class GraphBuilder {
  readonly nodes: onnxproto.onnx.INodeProto[] = [];
  readonly inputs: onnxproto.onnx.IValueInfoProto[] = [];
  readonly outputs: onnxproto.onnx.IValueInfoProto[] = [];
  private readonly constants: onnxproto.onnx.ITensorProto[] = [];
  private readonly weights = new Map<string, WeightLayout>();
  private readonly used: Set<string>;
  private readonly counters = new Map<string, number>();
  private readonly nodeNames = new Set<string>();
  /** Values int8 may quantize: `out` reads `source` (through QDQ when calibrated), at node index `at`. */
  private readonly activations: { source: string; out: string; key: string; at: number; base: string; scale: string; zero: string; q: string }[] = [];

  /** `reserved`: names the builder must not hand out (a parent graph's names). */
  constructor(reserved?: Set<string>) {
    this.used = reserved ?? new Set<string>();
  }

  /** A fresh value name from `base` ("dense/matmul", "dense/matmul_1", ...). */
  name(base: string): string {
    if (!this.used.has(base)) {
      this.used.add(base);
      return base;
    }
    let n = this.counters.get(base) ?? 1;
    while (this.used.has(`${base}_${n}`)) n++;
    this.counters.set(base, n + 1);
    const out = `${base}_${n}`;
    this.used.add(out);
    return out;
  }

  /** Claims an exact name (a graph input or output); false when it is taken. */
  claim(name: string): boolean {
    if (this.used.has(name)) return false;
    this.used.add(name);
    return true;
  }

  /** A sub-graph builder (a Scan body) whose names never collide with this graph's. */
  child(): GraphBuilder {
    return new GraphBuilder(this.used);
  }

  /**
   * Adds a node named "BASE/OpType" (made unique); its outputs are named the same way, or
   * as given. Returns the output names.
   */
  op(opType: string, inputs: string[], base: string, attrs: Attrs = {}, outputs: number | string[] = 1): string[] {
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.name(`${base}/${opType}`)) : outputs;
    const attribute_ = Object.entries(attrs)
      .filter((e): e is [string, AttrValue] => e[1] !== undefined)
      .map(([k, v]) => attribute(k, v));
    this.nodes.push({ opType, input: inputs, output: outs, name: uniqueIn(this.nodeNames, `${base}/${opType}`), attribute: attribute_ });
    return outs;
  }

  /** One-output node. */
  op1(opType: string, inputs: string[], base: string, attrs: Attrs = {}): string {
    return this.op(opType, inputs, base, attrs)[0];
  }

  /** A float constant (never quantized). */
  floats(base: string, dims: number[], data: ArrayLike<number>): string {
    const name = this.name(base);
    this.constants.push({ name, dims, dataType: FLOAT, rawData: bytesOf(Float32Array.from(data)) });
    return name;
  }

  /** An int64 constant (shapes, axes, indices). */
  int64s(base: string, values: number[], dims: number[] = [values.length]): string {
    const name = this.name(base);
    this.constants.push({ name, dims, dataType: INT64, rawData: bytesOf(BigInt64Array.from(values.map((v) => BigInt(v)))) });
    return name;
  }

  /** A weight from the engine's arrays; the value holds its ONNX layout (see WeightLayout). */
  weight(base: string, layout: WeightLayout): string {
    const name = this.name(base);
    this.weights.set(name, layout);
    return name;
  }

  /**
   * The value to feed an operator that int8 may quantize statically (key: the IR node for its
   * input, `node:output` for its output; see calibrate.ts). In a
   * model encoded with a calibration for `key`, QuantizeLinear -> DequantizeLinear (uint8,
   * per tensor) of `x`; otherwise `x` itself (the name is rewritten away).
   */
  quantizable(x: string, key: string): string {
    const base = key.includes(':') ? key.replace(':', '/') : `${key}/input`;
    const out = this.name(`${base}_dequantized`);
    const names = { base, scale: this.name(`${base}_scale`), zero: this.name(`${base}_zero_point`), q: this.name(`${base}_quantized`) };
    this.activations.push({ source: x, out, key, at: this.nodes.length, ...names });
    return out;
  }

  /** The graph's initializers, nodes and value infos; int8 replaces quantizable weights (and calibrated activations). */
  graph(name: string, int8: boolean, acts?: ActivationQuants): onnxproto.onnx.IGraphProto {
    const initializer = [...this.constants];
    const alias = new Map<string, string>();
    const qdq = new Map<number, onnxproto.onnx.INodeProto[]>();
    for (const a of this.activations) {
      const p = int8 ? acts?.get(a.key) : undefined;
      if (!p) {
        alias.set(a.out, a.source);
        continue;
      }
      const { scale: sName, zero: zName, q: qName } = a;
      initializer.push(
        { name: sName, dims: [], dataType: FLOAT, rawData: bytesOf(Float32Array.of(p.scale)) },
        { name: zName, dims: [], dataType: UINT8, rawData: Uint8Array.of(p.zeroPoint) },
      );
      const list = qdq.get(a.at) ?? [];
      list.push(
        { opType: 'QuantizeLinear', input: [a.source, sName, zName], output: [qName], name: `${a.base}/QuantizeLinear`, attribute: [] },
        { opType: 'DequantizeLinear', input: [qName, sName, zName], output: [a.out], name: `${a.base}/DequantizeLinear`, attribute: [] },
      );
      qdq.set(a.at, list);
    }
    const nodes: onnxproto.onnx.INodeProto[] = [];
    this.nodes.forEach((n, i) => {
      nodes.push(...(qdq.get(i) ?? []));
      nodes.push(alias.size && n.input?.some((x) => alias.has(x)) ? { ...n, input: n.input.map((x) => alias.get(x) ?? x) } : n);
    });
    const dq: onnxproto.onnx.INodeProto[] = [];
    for (const [wname, w] of this.weights) {
      if (int8 && w.quant) {
        const q = quantizeChannels(w.data, w.quant);
        let values: Int8Array = q.q;
        let scale = q.scale;
        let shape = w.shape;
        if (w.groups) {
          values = reorderGroups(values, shape, w.groups);
          if (w.quant.channels === 'last') scale = reorderGroups(scale, [scale.length], w.groups);
        }
        if (w.perm) ({ data: values, shape } = permute(values, shape, w.perm));
        const qName = `${wname}_quantized`;
        const sName = `${wname}_scale`;
        const zName = `${wname}_zero_point`;
        initializer.push(
          { name: qName, dims: w.dims, dataType: INT8, rawData: bytesOf(values) },
          { name: sName, dims: [scale.length], dataType: FLOAT, rawData: bytesOf(scale) },
          { name: zName, dims: [scale.length], dataType: INT8, rawData: new Uint8Array(scale.length) },
        );
        dq.push({ opType: 'DequantizeLinear', input: [qName, sName, zName], output: [wname], name: `${wname}/DequantizeLinear`, attribute: [attribute('axis', w.axis)] });
      } else {
        let values = w.data;
        let shape = w.shape;
        if (w.groups) values = reorderGroups(values, shape, w.groups);
        if (w.perm) ({ data: values, shape } = permute(values, shape, w.perm));
        initializer.push({ name: wname, dims: w.dims, dataType: FLOAT, rawData: bytesOf(values) });
      }
    }
    return { name, node: [...dq, ...nodes], initializer, input: this.inputs, output: this.outputs };
  }

  /** The model file's bytes. */
  encode(graphName: string, int8: boolean, doc: string, metadata: Record<string, string> = {}, acts?: ActivationQuants): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: 'netspec',
      producerVersion: '1',
      docString: doc,
      graph: this.graph(graphName, int8, acts),
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
