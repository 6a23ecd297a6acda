// Lowering: the checked model as Model IR (engine/catalog/ir.ts) and a train block as plain
// JSON (train_ir.ts). The walk already inlines blocks, unrolls `repeat` and names nodes
// Keras-style, so building the IR only packages its nodes (built as IR nodes already); lowering a train block fills the
// defaults of every setting and resolves data paths against the model file.

import { IR_VERSION, type ModelIR } from '../../../engine/catalog/ir';
import type { DType, Shape } from '../../../engine/catalog/shape';
import type { Expr, TrainDecl } from '../syntax/ast';
import { resolveDataPath } from './data_check';
import type { RawNode } from './state';
import { TRAIN_DEFAULTS, type TrainDataSource, type TrainIR, type TrainOptimizer, type TrainRegularizer, type TrainSchedule } from './train_ir';
import { OPTIMIZERS, REGULARIZERS, SCHEDULES } from './train_spec';

export function buildIR(
  name: string,
  inputs: { name: string; shape: Shape; dtype: DType }[],
  nodes: RawNode[],
  outputs: { name: string; tensor: string }[],
  params: number,
  trainableParams: number,
): ModelIR {
  return {
    version: IR_VERSION,
    name,
    inputs: inputs.map((i) => ({ name: i.name, shape: [...i.shape], dtype: i.dtype })),
    nodes,
    outputs,
    params,
    trainableParams,
  };
}

function arg(e: Expr & { kind: 'Call' }, name: string, position: number): Expr | null {
  const named = e.args.find((a) => a.name?.name === name);
  if (named) return named.value;
  return e.args.filter((a) => !a.name)[position]?.value ?? null;
}

function lowerSource(e: Expr | null, filePath?: string): TrainDataSource | null {
  if (!e || e.kind !== 'Call') return null;
  const kind = e.callee.name as TrainDataSource['kind'];
  const str = (x: Expr | null) => (x?.kind === 'String' ? x.value : undefined);
  const out: TrainDataSource = { kind };
  if (kind === 'csv' || kind === 'json' || kind === 'images') {
    const p = str(arg(e, 'path', 0));
    if (p !== undefined) out.path = resolveDataPath(p, filePath);
  }
  if (kind === 'npy' || kind === 'idx') {
    const names = kind === 'npy' ? ['features', 'targets'] : ['images', 'labels'];
    out.files = {};
    names.forEach((n, i) => {
      const p = str(arg(e, n, i));
      if (p !== undefined) out.files![n] = resolveDataPath(p, filePath);
    });
  }
  if (kind === 'csv' || kind === 'json') {
    const t = arg(e, 'target', 1);
    if (t?.kind === 'String') out.target = t.value;
    if (t?.kind === 'List') out.target = t.items.flatMap((i) => (i.kind === 'String' ? [i.value] : []));
    if (t?.kind === 'Dict') out.target = Object.fromEntries(t.entries.flatMap((en) => (en.value?.kind === 'String' ? [[en.key.name, en.value.value]] : [])));
    const f = arg(e, 'features', 2);
    if (f?.kind === 'List') out.features = f.items.flatMap((i) => (i.kind === 'String' ? [i.value] : []));
  }
  return out;
}

function callArgs(e: Expr, table: Record<string, import('../../../engine/catalog/types').ArgSpec[]>): { name: string; args: Record<string, number | boolean> } | null {
  const callee = e.kind === 'Call' ? e.callee : e.kind === 'Ident' ? e : null;
  if (!callee || !table[callee.name]) return null;
  const specs = table[callee.name];
  const args: Record<string, number | boolean> = {};
  for (const s of specs) if (typeof s.default === 'number' || typeof s.default === 'boolean') args[s.name] = s.default;
  if (e.kind === 'Call') {
    let position = 0;
    for (const a of e.args) {
      const spec = a.name ? specs.find((s) => s.name === a.name!.name) : specs[position++];
      const v = a.value;
      if (spec && (v?.kind === 'Number' || v?.kind === 'Bool')) args[spec.name] = v.value;
    }
  }
  return { name: callee.name, args };
}

/** `[accuracy, mae]` or a bare `accuracy` as metric names. */
function metricNames(v: Expr): string[] {
  if (v.kind === 'List') return v.items.flatMap((i) => (i.kind === 'Ident' ? [i.name] : []));
  return v.kind === 'Ident' ? [v.name] : [];
}

/**
 * The train block as plain JSON with defaults filled in. Meant for a train block that
 * checked without errors; on a broken one it returns what it can read. Never throws.
 */
export function lowerTrain(decl: TrainDecl, options: { path?: string } = {}): TrainIR {
  const ir: TrainIR = {
    model: decl.model?.name ?? '',
    data: null,
    validation: null,
    loss: TRAIN_DEFAULTS.loss,
    lossWeights: null,
    optimizer: { name: TRAIN_DEFAULTS.optimizer.name, args: { ...TRAIN_DEFAULTS.optimizer.args } },
    regularizer: null,
    epochs: TRAIN_DEFAULTS.epochs,
    batchSize: TRAIN_DEFAULTS.batchSize,
    metrics: [],
    seed: null,
    earlyStopping: null,
  };
  for (const s of decl.settings) {
    const v = s.value;
    if (!v) continue;
    const int = v.kind === 'Number' && v.isInt ? v.value : null;
    switch (s.name.name) {
      case 'data':
        ir.data = lowerSource(v, options.path);
        break;
      case 'validation':
        ir.validation = v.kind === 'Number' ? v.value : lowerSource(v, options.path);
        break;
      case 'loss':
        if (v.kind === 'Ident') ir.loss = v.name;
        if (v.kind === 'Dict') ir.loss = Object.fromEntries(v.entries.flatMap((e) => (e.value?.kind === 'Ident' ? [[e.key.name, e.value.name]] : [])));
        break;
      case 'loss_weights':
        if (v.kind === 'Dict') ir.lossWeights = Object.fromEntries(v.entries.flatMap((e) => (e.value?.kind === 'Number' ? [[e.key.name, e.value.value]] : [])));
        break;
      case 'optimizer': {
        const o = callArgs(v, OPTIMIZERS);
        if (o) ir.optimizer = o as TrainOptimizer;
        break;
      }
      case 'regularizer': {
        const r = callArgs(v, REGULARIZERS);
        if (r) ir.regularizer = { name: r.name as TrainRegularizer['name'], l1: Number(r.args.l1 ?? 0), l2: Number(r.args.l2 ?? 0) };
        break;
      }
      case 'epochs':
        if (int !== null) ir.epochs = int;
        break;
      case 'batch_size':
        if (int !== null) ir.batchSize = int;
        break;
      case 'metrics':
        if (v.kind === 'Dict') ir.metrics = Object.fromEntries(v.entries.flatMap((e) => (e.value ? [[e.key.name, metricNames(e.value)]] : [])));
        else ir.metrics = metricNames(v);
        break;
      case 'schedule': {
        const r = callArgs(v, SCHEDULES);
        if (r) ir.schedule = { name: r.name as TrainSchedule['name'], args: Object.fromEntries(Object.entries(r.args).filter((e): e is [string, number] => typeof e[1] === 'number')) };
        break;
      }
      case 'seed':
        ir.seed = int;
        break;
      case 'early_stopping':
        ir.earlyStopping = int;
        break;
    }
  }
  return ir;
}
