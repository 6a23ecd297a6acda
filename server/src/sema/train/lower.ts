// Lowering: the checked model as Model IR (engine/catalog/ir.ts) and a train block as plain
// JSON (train_ir.ts). The walk already inlines blocks, unrolls `repeat` and names nodes
// Keras-style, so building the IR only packages its nodes (built as IR nodes already); lowering a train block fills the
// defaults of every setting and resolves data paths against the model file.

import { IR_VERSION, type ModelIR } from '../../../../engine/catalog/ir';
import type { DType, Shape } from '../../../../engine/catalog/shape';
import type { Expr, TrainDecl } from '../../syntax/ast';
import { resolveDataPath } from './data_check';
import type { RawNode } from '../model/state';
import type { TrainDataSource, TrainIR, TrainOptimizer, TrainRegularizer, TrainSchedule } from '../../../../engine/catalog/train_ir';
import { argDefaults, byName, defaultTrainIR, findSetting, SOURCES, TEXT_DEFAULTS, type TrainFunction } from '../../../../engine/catalog/train/index';

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
  const out: TrainDataSource = { kind: e.callee.name as TrainDataSource['kind'] };
  const source = byName(SOURCES, e.callee.name);
  if (!source) return out;
  const str = (x: Expr | null) => (x?.kind === 'String' ? x.value : undefined);
  const num = (x: Expr | null) => (x?.kind === 'Number' ? x.value : undefined);
  // `path` is the source's main file or folder; its other files go by argument name.
  const files = source.args.filter((a) => a.file && a.name !== 'path');
  if (files.length) out.files = {};
  source.args.forEach((a, i) => {
    const x = arg(e, a.name, i);
    if (a.file) {
      const p = str(x);
      if (p === undefined) return;
      if (a.name === 'path') out.path = resolveDataPath(p, filePath);
      else out.files![a.name] = resolveDataPath(p, filePath);
    } else if (a.columns && a.name === 'target') {
      if (x?.kind === 'String') out.target = x.value;
      if (x?.kind === 'List') out.target = x.items.flatMap((i) => (i.kind === 'String' ? [i.value] : []));
      if (x?.kind === 'Dict') out.target = Object.fromEntries(x.entries.flatMap((en) => (en.value?.kind === 'String' ? [[en.key.name, en.value.value]] : [])));
    } else if (a.columns && a.name === 'features') {
      if (x?.kind === 'List') out.features = x.items.flatMap((i) => (i.kind === 'String' ? [i.value] : []));
    } else if (a.columns && a.name === 'text') {
      if (x?.kind === 'String') out.text = { column: x.value, vocab: num(arg(e, 'vocab', source.args.findIndex((s) => s.name === 'vocab'))) ?? TEXT_DEFAULTS.vocab, length: num(arg(e, 'length', source.args.findIndex((s) => s.name === 'length'))) ?? TEXT_DEFAULTS.length };
    }
  });
  return out;
}

function callArgs(e: Expr, table: readonly TrainFunction[]): { name: string; args: Record<string, number | boolean> } | null {
  const callee = e.kind === 'Call' ? e.callee : e.kind === 'Ident' ? e : null;
  const fn = callee ? byName(table, callee.name) : undefined;
  if (!callee || !fn) return null;
  const args = argDefaults(fn);
  if (e.kind === 'Call') {
    let position = 0;
    for (const a of e.args) {
      const spec = a.name ? fn.args.find((s) => s.name === a.name!.name) : fn.args[position++];
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
 * The train block as plain JSON with defaults filled in (from the train catalog). Meant for
 * a train block that checked without errors; on a broken one it returns what it can read.
 * Never throws.
 */
export function lowerTrain(decl: TrainDecl, options: { path?: string } = {}): TrainIR {
  const ir = defaultTrainIR(decl.model?.name ?? '');
  for (const s of decl.settings) {
    const v = s.value;
    const setting = findSetting(s.name.name);
    if (!v || !setting) continue;
    switch (setting.kind) {
      case 'source':
        ir.data = lowerSource(v, options.path);
        break;
      case 'validation':
        ir.validation = v.kind === 'Number' ? v.value : lowerSource(v, options.path);
        break;
      case 'loss':
        if (v.kind === 'Ident') ir.loss = v.name;
        if (v.kind === 'Dict') ir.loss = Object.fromEntries(v.entries.flatMap((e) => (e.value?.kind === 'Ident' ? [[e.key.name, e.value.name]] : [])));
        break;
      case 'loss-weights':
        if (v.kind === 'Dict') ir.lossWeights = Object.fromEntries(v.entries.flatMap((e) => (e.value?.kind === 'Number' ? [[e.key.name, e.value.value]] : [])));
        break;
      case 'metrics':
        if (v.kind === 'Dict') ir.metrics = Object.fromEntries(v.entries.flatMap((e) => (e.value ? [[e.key.name, metricNames(e.value)]] : [])));
        else ir.metrics = metricNames(v);
        break;
      case 'int':
        if (v.kind === 'Number' && v.isInt) ir[setting.field] = v.value;
        break;
      case 'function': {
        const r = callArgs(v, setting.family.entries);
        if (!r) break;
        if (setting.field === 'optimizer') ir.optimizer = r as TrainOptimizer;
        // l1(x) has no l2 factor and l2(x) no l1 one: the missing factor is zero.
        if (setting.field === 'regularizer') ir.regularizer = { name: r.name as TrainRegularizer['name'], l1: Number(r.args.l1 ?? 0), l2: Number(r.args.l2 ?? 0) };
        if (setting.field === 'schedule') ir.schedule = { name: r.name as TrainSchedule['name'], args: Object.fromEntries(Object.entries(r.args).filter((e): e is [string, number] => typeof e[1] === 'number')) };
        break;
      }
    }
  }
  return ir;
}
