// Checks a data source of a train block: its arguments (paths are strings; target and
// features are column names) and, through a DataProbe, the files themselves against the
// model: feature count vs the input's element count, target columns that exist, and a string
// target's class count vs the output's units under cross_entropy; npy, idx and images
// sources by their headers (array_check.ts).

import { dirname, isAbsolute, resolve } from 'node:path';
import { elementCount, formatShape } from '../../../../engine/catalog/shape';
import type { Call, Expr, Span } from '../../syntax/ast';
import type { DiagnosticSink, ModelFacts } from '../context';
import { defaultDataProbe, type DataProbe } from './data_probe';
import { byName, SOURCES, TEXT_DEFAULTS } from '../../../../engine/catalog/train/index';
import { describe, lossesByOutput } from './train_values';
import { checkArrays, checkImages, type ProbedFile } from './array_check';
import { checkTextEmbeddings, checkTextInput, TEXT_WITH_FEATURES } from '../../../../engine/src/data/text';
import type { TextColumn } from '../../../../engine/catalog/train_ir';

export interface DataOptions {
  /** The model file's path; data paths resolve against its folder. */
  path?: string;
  probe?: DataProbe;
}

export function resolveDataPath(p: string, filePath?: string): string {
  if (isAbsolute(p)) return p;
  return resolve(filePath ? dirname(filePath) : process.cwd(), p);
}

function arg(call: Call, name: string, position: number): Expr | null {
  const named = call.args.find((a) => a.name?.name === name);
  if (named) return named.value;
  const positional = call.args.filter((a) => !a.name);
  return positional[position]?.value ?? null;
}

/** Checks the structure of a data-source call (no file access). */
export function checkSourceShape(call: Call, sink: DiagnosticSink): void {
  const specs = byName(SOURCES, call.callee.name)?.args;
  if (!specs) {
    sink.add('bad-argument', call.callee.span, `a data source must be one of ${SOURCES.map((e) => e.name).join(', ')}, but is ${call.callee.name}`);
    return;
  }
  const names = specs.map((s) => s.name);
  let position = 0;
  for (const a of call.args) {
    const name = a.name?.name ?? names[position++];
    if (!name || !names.includes(name)) {
      sink.add('unknown-argument', a.name?.span ?? a.span, `${call.callee.name} has no argument \`${a.name?.name ?? '(extra)'}\`; it takes ${names.join(', ')}`);
      continue;
    }
    const v = a.value;
    if (!v || v.kind === 'Error') continue;
    const spec = specs.find((x) => x.name === name);
    if (spec?.columns && name === 'target') {
      const ok = v.kind === 'String' || (v.kind === 'List' && v.items.every((i) => i.kind === 'String')) || (v.kind === 'Dict' && v.entries.every((e) => e.value?.kind === 'String'));
      if (!ok) sink.add('bad-argument', v.span, `target must be a column name, a list of names, or a dict {output: "column"}, but is ${describe(v)}`);
    } else if (spec?.columns && name === 'text') {
      if (v.kind !== 'String') sink.add('bad-argument', v.span, `text must be a column name, but is ${describe(v)}`);
    } else if (spec?.columns) {
      if (v.kind !== 'List' || !v.items.every((i) => i.kind === 'String')) sink.add('bad-argument', v.span, `features must be a list of column names, but is ${describe(v)}`);
    } else if (spec?.type === 'int') {
      if (v.kind !== 'Number' || !Number.isInteger(v.value) || v.value < (spec.min ?? 0)) sink.add('bad-argument', v.span, `${call.callee.name}'s \`${name}\` must be a whole number of at least ${spec.min ?? 0}, but is ${describe(v)}`);
    } else if (v.kind !== 'String') {
      sink.add('bad-argument', v.span, `${call.callee.name}'s \`${name}\` must be a path in quotes, but is ${describe(v)}`);
    }
  }
  const features = arg(call, 'features', names.indexOf('features'));
  if (features && arg(call, 'text', names.indexOf('text'))) sink.add('bad-argument', features.span, TEXT_WITH_FEATURES);
  for (const s of specs) {
    if (s.required && arg(call, s.name, names.indexOf(s.name)) === null) {
      sink.add('missing-argument', call.span, `${call.callee.name} is missing the argument \`${s.name}\`: ${call.callee.name}(${names.join(', ')})`);
    }
  }
}

/** The `text=`, `vocab=` and `length=` of a source call, defaults filled in as lowering fills them. */
function textColumn(call: Call, column: string): TextColumn {
  const number = (name: string, fallback: number) => {
    const e = arg(call, name, byName(SOURCES, call.callee.name)?.args.findIndex((a) => a.name === name) ?? -1);
    return e?.kind === 'Number' ? e.value : fallback;
  };
  return { column, vocab: number('vocab', TEXT_DEFAULTS.vocab), length: number('length', TEXT_DEFAULTS.length) };
}

/** Checks the files of a data source against the model's input and outputs. */
export function checkData(v: Expr, facts: ModelFacts | undefined, loss: Expr | null, sink: DiagnosticSink, options: DataOptions): void {
  const source = v.kind === 'Call' ? byName(SOURCES, v.callee.name) : undefined;
  if (v.kind !== 'Call' || !source) return;
  const probe = options.probe ?? defaultDataProbe;
  let main: { info: ReturnType<DataProbe['probe']>; span: Span } | null = null;
  const files = new Map<string, ProbedFile>();
  for (const [i, spec] of source.args.entries()) {
    if (!spec.file) continue;
    const e = arg(v, spec.name, i);
    if (e?.kind !== 'String') continue;
    const path = resolveDataPath(e.value, options.path);
    let info;
    try {
      info = probe.probe(path);
    } catch (err) {
      info = { ok: false as const, message: `cannot read ${e.value} (${err instanceof Error ? err.message : String(err)})` };
    }
    if (!info.ok) sink.add('data-error', e.span, info.message);
    else {
      files.set(spec.name, { path, info, span: e.span });
      if (i === 0) main = { info, span: e.span };
    }
  }
  if (source.name === 'npy' || source.name === 'idx') return checkArrays(source.name, files, facts, loss, sink);
  if (source.name === 'images') return checkImages(files.get('path'), facts, loss, sink);
  // Only a tabular source (one with column arguments) is read further here.
  if (!main || !main.info.ok || !source.args.some((a) => a.columns)) return;
  const info = main.info;
  const columns = info.columns;
  // A repeated header name makes every count below ambiguous; the reader reports it with its line.
  const repeated = columns.find((c, i) => columns.indexOf(c) !== i);
  if (repeated !== undefined) {
    sink.add('data-error', main.span, `the header names column "${repeated}" twice; every column needs its own name`);
    return;
  }
  const position = (name: string) => source.args.findIndex((a) => a.name === name);
  const target = arg(v, 'target', position('target'));
  const features = arg(v, 'features', position('features'));
  // Target columns, each with the output it feeds (null: the single output).
  const targets: { column: string; span: Span; output: string | null }[] = [];
  if (target?.kind === 'String') targets.push({ column: target.value, span: target.span, output: null });
  if (target?.kind === 'List') for (const t of target.items) if (t.kind === 'String') targets.push({ column: t.value, span: t.span, output: null });
  if (target?.kind === 'Dict') for (const e of target.entries) if (e.value?.kind === 'String') targets.push({ column: e.value.value, span: e.value.span, output: e.key.name });
  let missing = false;
  if (target?.kind === 'List') {
    const twice = targets.find((t, i) => targets.findIndex((u) => u.column === t.column) !== i);
    if (twice) {
      sink.add('data-mismatch', twice.span, `target lists the column "${twice.column}" twice; name each target column once (to train two outputs on one column, give target={OUTPUT: "${twice.column}", ...})`);
      missing = true;
    }
  }
  for (const t of targets) {
    if (!columns.includes(t.column)) {
      sink.add('data-mismatch', t.span, `the data has no column "${t.column}"; its columns are ${columns.join(', ')}`);
      missing = true;
    }
  }
  const text = arg(v, 'text', position('text'));
  if (text?.kind === 'String') {
    // A text column is the whole input: no feature columns to count.
    if (!columns.includes(text.value)) {
      sink.add('data-mismatch', text.span, `the data has no column "${text.value}"; its columns are ${columns.join(', ')}`);
      missing = true;
    } else if (facts && !facts.hasErrors) {
      const column = textColumn(v, text.value);
      const fits = checkTextInput(facts.inputs, column, info.format);
      const table = fits.ok && facts.nodes ? checkTextEmbeddings({ inputs: facts.inputs, nodes: facts.nodes }, column, info.format) : null;
      if (!fits.ok) sink.add('data-mismatch', text.span, fits.error.message);
      else if (table && !table.ok) sink.add('data-mismatch', text.span, table.error.message);
    }
  }
  let featureCount: number;
  let featureSpan: Span = v.span;
  if (features?.kind === 'List') {
    featureCount = features.items.length;
    featureSpan = features.span;
    for (const f of features.items) {
      if (f.kind === 'String' && !columns.includes(f.value)) {
        sink.add('data-mismatch', f.span, `the data has no column "${f.value}"; its columns are ${columns.join(', ')}`);
        missing = true;
      }
    }
  } else {
    featureCount = columns.filter((c) => !targets.some((t) => t.column === c)).length;
  }
  if (missing || !facts || facts.hasErrors) return;
  if (facts.inputs.length === 1 && text?.kind !== 'String') {
    const input = facts.inputs[0];
    const n = elementCount(input.shape);
    if (n !== null && n !== featureCount) {
      const which = features?.kind === 'List' ? 'listed feature columns' : `feature columns (every column but the target${targets.length > 1 ? 's' : ''})`;
      sink.add('data-mismatch', featureSpan, `the data has ${featureCount} ${which}, but the input ${input.name} ${formatShape(input.shape)} takes ${n} values per sample`);
    }
  }
  if (!loss) return;
  const losses = lossesByOutput(loss, facts);
  let raggedSaid = false;
  for (const t of targets) {
    const output = t.output ? facts.outputs.find((o) => o.name === t.output) : facts.outputs.length === 1 && targets.length === 1 ? facts.outputs[0] : undefined;
    if (!output?.shape || losses.get(output.name) !== 'cross_entropy') continue;
    const col = info.column(t.column);
    const units = output.shape[output.shape.length - 1];
    if (col?.ragged) {
      // The row's values may sit in the wrong columns, so the class count is not trusted; the reader reports the row.
      if (!raggedSaid) sink.add('data-error', main.span, `line ${col.ragged.line} of the data has ${col.ragged.fields} fields but the header has ${columns.length}; every row needs one value per column`);
      raggedSaid = true;
      continue;
    }
    if (col && !col.numeric && typeof units === 'number' && col.distinct !== units) {
      sink.add('data-mismatch', t.span, `the target "${t.column}" has ${col.distinct} classes, but the output \`${output.name}\` ${formatShape(output.shape)} has ${units} units`, [
        { span: output.def, message: `${output.name} is ${formatShape(output.shape)} here` },
      ]);
    }
  }
}
