// A trainable model built from the Model IR: one weight tensor per catalog WeightSpec
// (Keras names, "dense/kernel"), initialised from a seed, and a forward pass that walks the
// IR's nodes in order through each layer's forward. User input (an IR naming an unknown
// layer, or inputs of the wrong shape) becomes an error value, never an exception.

import { findLayer, resolveArgs } from '../catalog/index';
import type { IRNode, ModelIR } from '../catalog/ir';
import type { ResolvedArgs, WeightSpec } from '../catalog/types';
import { initWeight } from './init';
import { findForward } from './layers';
import type { LayerContext } from './layers';
import { Rng } from './rng';
import { keep } from './tensor';
import type { Tensor } from './tensor';

export interface ModelWeight {
  /** "node_id/weight_name", as Keras names variables. */
  name: string;
  node: string;
  spec: WeightSpec;
  tensor: Tensor;
}

export interface ModelError {
  code: 'unknown-layer' | 'bad-argument' | 'data-mismatch';
  message: string;
  /** The IR node (and its source line) the error belongs to, where there is one. */
  node?: string;
  line?: number;
}

export type BuildResult = { ok: true; model: Model } | { ok: false; error: ModelError };
export type ForwardResult = { ok: true; outputs: Record<string, Tensor> } | { ok: false; error: ModelError };

export interface ForwardOptions {
  training: boolean;
  /** The step number, so every step draws fresh dropout masks from the same seed. */
  step?: number;
  /**
   * Optional: sees (and may replace) input `index` of `node` before the node runs. int8
   * export records activation ranges with it and simulates quantized activations.
   */
  nodeInput?: (node: IRNode, index: number, x: Tensor) => Tensor;
  /** Optional: sees (and may replace) the output of `node`, as nodeInput does its inputs. */
  nodeOutput?: (node: IRNode, y: Tensor) => Tensor;
}

export class Model {
  /** BatchNorm moving-statistic updates from the last training forward, applied by applyUpdates. */
  private pending: LayerContext['updates'] = [];

  private constructor(
    readonly ir: ModelIR,
    readonly weights: ModelWeight[],
    readonly seed: number,
    /** Each node's arguments as the catalog resolves them (defaults filled), in node order. */
    private readonly args: ResolvedArgs[],
  ) {}

  /** Builds the weights of `ir`, initialised from `seed`. */
  static build(ir: ModelIR, seed: number): BuildResult {
    const args: ResolvedArgs[] = [];
    for (const node of ir.nodes) {
      const spec = findLayer(node.op);
      if (!spec || !findForward(spec.name)) {
        return { ok: false, error: { code: 'unknown-layer', message: `the engine has no layer ${node.op}`, node: node.id, line: node.line } };
      }
      const resolved = resolveArgs(spec, node.args);
      if ('issue' in resolved) {
        const message = resolved.issue.ok ? `${node.op} has bad arguments` : resolved.issue.issue.message;
        return { ok: false, error: { code: 'bad-argument', message, node: node.id, line: node.line } };
      }
      args.push(resolved.args);
    }
    const rng = new Rng(seed, 1);
    const weights: ModelWeight[] = [];
    for (const node of ir.nodes) {
      for (const spec of node.weights) {
        weights.push({ name: `${node.id}/${spec.name}`, node: node.id, spec, tensor: keep(initWeight(spec, rng)) });
      }
    }
    return { ok: true, model: new Model(ir, weights, seed, args) };
  }

  /** The tensors the optimizer updates, in weight order. */
  trainable(): Tensor[] {
    return this.weights.filter((w) => w.spec.trainable).map((w) => w.tensor);
  }

  /** Kernels that take the regularization penalty. */
  regularized(): Tensor[] {
    return this.weights.filter((w) => w.spec.regularized && w.spec.trainable).map((w) => w.tensor);
  }

  /** Runs the model on batched inputs keyed by IR input name; failures are error values. */
  forward(inputs: Record<string, Tensor>, options: ForwardOptions): ForwardResult {
    try {
      return this.run(inputs, options);
    } catch (e) {
      // A shape the IR did not promise (a symbolic size that data made inconsistent).
      return { ok: false, error: { code: 'data-mismatch', message: e instanceof Error ? e.message : String(e) } };
    }
  }

  private run(inputs: Record<string, Tensor>, options: ForwardOptions): ForwardResult {
    const values = new Map<string, Tensor>();
    for (const input of this.ir.inputs) {
      const t = inputs[input.name];
      const expected = input.shape;
      if (!t || t.rank !== expected.length + 1 || expected.some((d, i) => typeof d === 'number' && d !== t.shape[i + 1])) {
        const got = t ? `[${t.shape.slice(1).join(', ')}]` : 'nothing';
        return { ok: false, error: { code: 'data-mismatch', message: `input ${input.name} expects samples of shape [${expected.join(', ')}], but got ${got}` } };
      }
      values.set(input.name, t);
    }
    const byNode = new Map<string, Record<string, Tensor>>();
    for (const w of this.weights) {
      let rec = byNode.get(w.node);
      if (!rec) byNode.set(w.node, (rec = {}));
      rec[w.spec.name] = w.tensor;
    }
    const ctx: LayerContext = { training: options.training, seed: this.seed, step: options.step ?? 0, salt: 0, updates: [] };
    for (let i = 0; i < this.ir.nodes.length; i++) {
      const node = this.ir.nodes[i];
      const args = node.inputs.map((id) => values.get(id));
      if (args.some((a) => a === undefined)) {
        return { ok: false, error: { code: 'data-mismatch', message: `node ${node.id} reads a tensor that is not computed`, node: node.id, line: node.line } };
      }
      ctx.salt = i;
      const forward = findForward(findLayer(node.op)!.name)!;
      const hook = options.nodeInput;
      const seen = hook ? (args as Tensor[]).map((a, j) => hook(node, j, a)) : args;
      const y = forward(seen as Tensor[], byNode.get(node.id) ?? {}, this.args[i], ctx);
      values.set(node.id, options.nodeOutput ? options.nodeOutput(node, y) : y);
    }
    this.pending = ctx.updates;
    const outputs: Record<string, Tensor> = {};
    for (const out of this.ir.outputs) outputs[out.name] = values.get(out.tensor)!;
    return { ok: true, outputs };
  }

  /** Applies the non-trainable updates (BatchNorm moving statistics) of the last training forward. */
  applyUpdates(): void {
    for (const u of this.pending) u.target.assign(u.value());
    this.pending = [];
  }

  dispose(): void {
    for (const w of this.weights) w.tensor.dispose();
  }
}
