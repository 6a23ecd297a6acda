// CSV and JSON sources as a Dataset: the table readers of engine/src/data give cells with
// their places in the file; this module decides which columns are features and which are
// targets for which output (spec §5), checks the counts against the model before reading
// a value, and turns string targets into class indices over sorted labels. Validation data
// and prediction data pass the training labels in, so a label means the same index there.

import type { ModelIR } from '../../catalog/ir';
import { formatShape } from '../../catalog/shape';
import type { TextColumn, TrainDataSource } from '../../catalog/train_ir';
import { buildVocabulary, checkTextEmbeddings, checkTextInput, TEXT_WITH_FEATURES, WordIds } from './text';
import { dataFail, type DataResult } from './data_error';
import { tableToArrays, type RecordTable, type TargetSpec } from './table';
import type { ArraySet, Dataset } from './dataset';
import { checkClassIndices, checkLabelCount, describeInputs, fillInputs, inputSlots, outputSlots, type InputSlot, type OutputSlot } from './model_fit';
import type { LoadOptions } from './load_options';
import { basename } from './files';

export interface TargetColumns {
  output: string;
  columns: string[];
}

/** Which columns feed which output, from `target=` (a name, a list without repeats, or a dict by output). */
export function targetColumns(source: TrainDataSource, ir: ModelIR, file: string): DataResult<TargetColumns[]> {
  const t = source.target;
  const outs = ir.outputs.map((o) => o.name);
  if (t === undefined) return dataFail(file, `${source.kind}(...) needs target="COLUMN" to say which column the model learns to predict`, undefined, 'data-mismatch');
  if (typeof t === 'string') {
    if (outs.length === 1) return { ok: true, value: [{ output: outs[0], columns: [t] }] };
    return dataFail(file, `target names one column, but the model has ${outs.length} outputs (${outs.join(', ')}); give target={${outs.map((o) => `${o}: "COLUMN"`).join(', ')}}`, undefined, 'data-mismatch');
  }
  if (Array.isArray(t)) {
    const twice = t.find((c, i) => t.indexOf(c) !== i);
    if (twice !== undefined) {
      return dataFail(file, `target lists the column "${twice}" twice; name each target column once (to train two outputs on one column, give target={OUTPUT: "${twice}", ...})`, undefined, 'data-mismatch');
    }
    if (outs.length === 1) return { ok: true, value: [{ output: outs[0], columns: t }] };
    if (t.length === outs.length) return { ok: true, value: outs.map((o, i) => ({ output: o, columns: [t[i]] })) };
    return dataFail(file, `target lists ${t.length} columns, but the model has ${outs.length} outputs (${outs.join(', ')}); give one column per output`, undefined, 'data-mismatch');
  }
  const missing = outs.filter((o) => t[o] === undefined);
  if (missing.length) return dataFail(file, `target gives no column for output ${missing.join(', ')}; add ${missing.map((o) => `${o}: "COLUMN"`).join(', ')}`, undefined, 'data-mismatch');
  return { ok: true, value: outs.map((o) => ({ output: o, columns: [t[o]] })) };
}

function cellPlace(table: RecordTable, r: number, c: number): { line?: number; column?: number; what: string } {
  const at = table.locate(r, c);
  const rec = at.line === undefined && at.record !== undefined ? `record ${at.record}, ` : '';
  return { line: at.line, column: at.column, what: `${rec}column "${table.columns[c]}"` };
}

function isText(v: unknown): boolean {
  return typeof v === 'string' && v.trim() !== '' && Number.isNaN(Number(v));
}

/** Which columns feed which input and output, decided from the header alone. */
export interface TablePlan {
  inputs: InputSlot[];
  outputs: OutputSlot[];
  targets: TargetColumns[];
  /** The feature columns in the order they fill the inputs. */
  features: string[];
  colIndex: Map<string, number>;
  slotOf: Map<string, OutputSlot>;
}

/**
 * Plans a table with `columns` against the model: the target columns of each output, the
 * feature columns, and their counts against the inputs' and outputs' sizes. Shared by the
 * in-memory reader below and the streaming CSV reader (csv_stream_load.ts).
 */
export function planTable(columns: string[], file: string, source: TrainDataSource, ir: ModelIR, options: LoadOptions): DataResult<TablePlan> {
  const name = basename(file);
  const ins = inputSlots(ir, file);
  if (!ins.ok) return ins;
  const outs = outputSlots(ir, options.config, file);
  if (!outs.ok) return outs;
  const colIndex = new Map(columns.map((c, i) => [c, i]));

  // Targets: required for training, ignored (but kept out of the features) for prediction.
  let targets: TargetColumns[] = [];
  if (options.targets === 'required') {
    const tc = targetColumns(source, ir, file);
    if (!tc.ok) return tc;
    targets = tc.value;
  }
  const given = source.target === undefined ? [] : typeof source.target === 'string' ? [source.target] : Array.isArray(source.target) ? source.target : Object.values(source.target);
  for (const t of targets) {
    for (const c of t.columns) {
      if (!colIndex.has(c)) {
        return dataFail(file, `${name} has no target column "${c}"; its columns are: ${columns.join(', ')}`, { line: 1 }, 'data-mismatch');
      }
    }
  }
  const excluded = new Set(given);
  if (source.text) {
    // The text column is the whole input (text.ts): no feature columns.
    if (source.features) return dataFail(file, TEXT_WITH_FEATURES, undefined, 'data-mismatch');
    if (!colIndex.has(source.text.column)) return dataFail(file, `${name} has no text column "${source.text.column}"; its columns are: ${columns.join(', ')}`, { line: 1 }, 'data-mismatch');
    const fits = checkTextInput(ir.inputs, source.text, file);
    if (!fits.ok) return fits;
    const table = checkTextEmbeddings(ir, source.text, file);
    if (!table.ok) return table;
  }
  let features = source.text ? [] : source.features;
  if (features) {
    for (const f of features) {
      if (!colIndex.has(f)) return dataFail(file, `${name} has no feature column "${f}"; its columns are: ${columns.join(', ')}`, { line: 1 }, 'data-mismatch');
    }
  } else {
    features = columns.filter((c) => !excluded.has(c));
  }
  const width = ins.value.reduce((a, s) => a + s.size, 0);
  if (!source.text && features.length !== width) {
    const which = source.features ? 'listed feature columns' : `feature columns${given.length ? ` (every column but ${given.map((g) => `"${g}"`).join(', ')})` : ''}`;
    return dataFail(file, `${name} has ${features.length} ${which} but ${describeInputs(ir)}; the feature values fill the input in row-major order`, { line: 1 }, 'data-mismatch');
  }
  const slotOf = new Map(outs.value.map((s) => [s.name, s]));
  for (const t of targets) {
    const slot = slotOf.get(t.output)!;
    if (t.columns.length !== slot.targetSize) {
      const what = slot.kind === 'class' ? `${slot.targetSize} class index per sample` : `${slot.targetSize} values per sample`;
      return dataFail(file, `output ${slot.name} is ${formatShape(slot.shape)} under ${slot.loss} and takes ${what}, but target gives ${t.columns.length} column${t.columns.length === 1 ? '' : 's'} (${t.columns.join(', ')})`, { line: 1 }, 'data-mismatch');
    }
  }
  return { ok: true, value: { inputs: ins.value, outputs: outs.value, targets, features, colIndex, slotOf } };
}

/** The table's rows as a Dataset shaped to the model. */
export function tableDataset(table: RecordTable, source: TrainDataSource, ir: ModelIR, options: LoadOptions): DataResult<Dataset> {
  const file = table.file;
  const plan = planTable(table.columns, file, source, ir, options);
  if (!plan.ok) return plan;
  const { targets, features, colIndex, slotOf } = plan.value;
  const ins = { value: plan.value.inputs };

  // Each target column becomes one TargetSpec; value targets must be numbers.
  const specs: TargetSpec[] = [];
  for (const t of targets) {
    const slot = slotOf.get(t.output)!;
    for (const c of t.columns) {
      const ci = colIndex.get(c)!;
      const textRow = table.rows.findIndex((row) => isText(row[ci]));
      const binaryText = slot.loss === 'binary_cross_entropy';
      if (slot.kind === 'value' && textRow >= 0 && !binaryText) {
        const at = cellPlace(table, textRow, ci);
        return dataFail(file, `${at.what} holds "${String(table.rows[textRow][ci])}", but output ${slot.name} is trained with ${slot.loss}, which needs numbers; text labels need loss = cross_entropy`, at, 'data-mismatch');
      }
      specs.push({ output: `${t.output}\u0000${c}`, column: c, kind: slot.kind === 'class' || (binaryText && textRow >= 0) ? 'class' : 'value' });
    }
  }
  const arrays = tableToArrays(table, { features, targets: specs });
  if (!arrays.ok) return arrays;
  const { count } = arrays.value;
  const text = source.text ? textInputs(table, source.text, ins.value[0].name, options.vocab) : null;
  const inputs = text ?? fillInputs(arrays.value.features, count, ins.value, file, (r, c) => cellPlace(table, r, colIndex.get(features![c])!));
  if (!inputs.ok) return inputs;

  const dataset: Dataset = { count, inputs: inputs.value, targets: {}, labels: {} };
  if (text) dataset.vocab = text.vocab;
  for (const t of targets) {
    const slot = slotOf.get(t.output)!;
    const parts = arrays.value.targets.filter((a) => a.output.startsWith(`${t.output}\u0000`));
    const built = buildTarget(parts, slot, count, table, options.labels?.[slot.name] ?? null);
    if (!built.ok) return built;
    dataset.targets[slot.name] = built.value.set;
    dataset.labels![slot.name] = built.value.labels;
  }
  return { ok: true, value: dataset };
}

/** The text column as word ids for the input `name`, under `fixed` (the training vocabulary) or one built from these rows. */
function textInputs(table: RecordTable, text: TextColumn, name: string, fixed: string[] | undefined): { ok: true; value: Record<string, ArraySet>; vocab: string[] } {
  const ci = table.columns.indexOf(text.column);
  const texts = table.rows.map((row) => (row[ci] === null || row[ci] === undefined ? '' : String(row[ci])));
  const vocab = fixed ?? buildVocabulary(texts, text.vocab);
  return { ok: true, value: { [name]: { data: new WordIds(vocab, text.length).encode(texts), sampleShape: [text.length] } }, vocab };
}

type Part = { column: string; values: Float32Array | Int32Array; labels: string[] | null };

/** Interleaves one output's target columns and maps text labels onto one label list. */
function buildTarget(parts: Part[], slot: OutputSlot, count: number, table: RecordTable, fixed: string[] | null): DataResult<{ set: ArraySet; labels: string[] | null }> {
  const file = table.file;
  const textual = parts.some((p) => p.labels !== null);
  let labels: string[] | null = null;
  if (textual) {
    labels = fixed ?? [...new Set(parts.flatMap((p) => p.labels ?? []))].sort();
    const first = parts.find((p) => p.labels)!;
    if (slot.kind === 'class') {
      const fits = checkLabelCount(labels, first.column, slot, file);
      if (!fits.ok) return fits;
    } else if (labels.length > 2) {
      return dataFail(file, `the target "${first.column}" has ${labels.length} labels (${labels.join(', ')}), but binary_cross_entropy takes two; use cross_entropy for several classes`, { line: 1 }, 'data-mismatch');
    }
  }
  const k = parts.length;
  const data = slot.kind === 'class' ? new Int32Array(count * k) : new Float32Array(count * k);
  for (let j = 0; j < k; j++) {
    const p = parts[j];
    const ci = table.columns.indexOf(p.column);
    let remap: Int32Array | null = null;
    if (p.labels && labels) {
      remap = new Int32Array(p.labels.length);
      for (let i = 0; i < p.labels.length; i++) {
        const idx = labels.indexOf(p.labels[i]);
        if (idx < 0) {
          const row = table.rows.findIndex((r) => String(r[ci]) === p.labels![i]);
          const at = cellPlace(table, row, ci);
          return dataFail(file, `${at.what} holds the label "${p.labels[i]}", which the training data does not have (its labels: ${labels.join(', ')})`, at, 'data-mismatch');
        }
        remap[i] = idx;
      }
    }
    for (let r = 0; r < count; r++) data[r * k + j] = remap ? remap[p.values[r]] : p.values[r];
    if (slot.kind === 'class' && !remap) {
      const ok = checkClassIndices(p.values as Int32Array, slot, file, (i) => cellPlace(table, i, ci));
      if (!ok.ok) return ok;
    }
  }
  return { ok: true, value: { set: { data, sampleShape: slot.targetShape }, labels } };
}
