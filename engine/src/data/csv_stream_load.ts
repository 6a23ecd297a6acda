// CSV sources read as a stream, for data sets whose text would not fit in memory: the file
// is read twice in chunks and never held whole. The first pass checks the header against
// the model (tabular.ts's planTable), counts the rows, checks every row's field count, and
// collects what the targets need — whether a target column holds text and its distinct
// labels, since class indices follow the sorted labels. The second pass parses each row
// straight into typed arrays of the exact size, so peak memory is the numeric arrays, not
// strings. The reader and the table checks are csv.ts's, so faults are the in-memory
// reader's, with the same words, lines and columns.
// When those arrays would exceed `options.budgetBytes` and the DataFiles offer a row store,
// the second pass writes binary rows to a temporary file instead (disk_rows.ts), and the
// result is a DiskRows source; the file is deleted if the pass fails.

import type { ModelIR } from '../../catalog/ir';
import { formatShape } from '../../catalog/shape';
import type { TrainDataSource } from '../../catalog/train_ir';
import type { ArraySet, Dataset } from './dataset';
import { csvRecordChunks, CsvRows, type CsvRecord } from './csv';
import { dataFail, type DataResult } from './data_error';
import { blockRowsFor, DiskRows, rowLayout, RowWriter } from './disk_rows';
import type { DataFiles, RowStore } from './files';
import type { LoadOptions } from './load_options';
import { checkLabelCount, type OutputSlot } from './model_fit';
import { badClassIndex, numericCell } from './table';
import { planTable, type TablePlan } from './tabular';

/** Distinct values kept per target column in the first pass; more than this cannot be labels of a model's classes. */
const MAX_LABELS = 100_000;

interface TargetColumnStats {
  output: string;
  column: string;
  index: number;
  /** The first cell that is text (not empty, not a number), with its line. */
  firstText: { value: string; line: number } | null;
  distinct: Set<string> | null;
}

interface FirstPass {
  header: string[];
  count: number;
  plan: TablePlan;
  stats: TargetColumnStats[];
}

type RowVisitor = (rec: CsvRecord) => DataResult<true> | null;

type StreamFiles = DataFiles & { stream: NonNullable<DataFiles['stream']> };

/**
 * Streams the records of `path` to `visit` (the header included), with the table checks
 * that `parseCsv` makes on a whole text (CsvRows); a visitor returning an error stops the stream.
 */
async function eachRecord(files: StreamFiles, path: string, visit: RowVisitor): Promise<DataResult<{ header: string[]; rows: number }>> {
  const table = new CsvRows(path);
  for await (const chunk of csvRecordChunks(files.stream(path), path)) {
    const waiting = table.content(chunk.sawContent);
    if (waiting) return waiting;
    if (!chunk.ok) return chunk;
    for (const rec of chunk.records) {
      const r = table.take(rec);
      if (r === 'skip') break;
      if (r !== 'header' && r !== 'row') return r;
      const v = visit(rec);
      if (v && !v.ok) return v;
    }
  }
  return table.end();
}

function isText(v: string): boolean {
  return v.trim() !== '' && Number.isNaN(Number(v));
}

/** Pass one: the plan, the row count, and each target column's text and labels. */
async function firstPass(files: StreamFiles, path: string, source: TrainDataSource, ir: ModelIR, options: LoadOptions): Promise<DataResult<FirstPass>> {
  let plan: TablePlan | null = null;
  let stats: TargetColumnStats[] = [];
  let isHeader = true;
  const r = await eachRecord(files, path, (rec) => {
    if (isHeader) {
      isHeader = false;
      const p = planTable(rec.fields.map((h) => h.trim()), path, source, ir, options);
      if (!p.ok) return p;
      plan = p.value;
      stats = p.value.targets.flatMap((t) => {
        const slot = p.value.slotOf.get(t.output)!;
        const labelled = slot.kind === 'class' || slot.loss === 'binary_cross_entropy';
        return t.columns.map((c) => ({ output: t.output, column: c, index: p.value.colIndex.get(c)!, firstText: null, distinct: labelled ? new Set<string>() : null }));
      });
      return null;
    }
    for (const s of stats) {
      const v = rec.fields[s.index];
      if (s.firstText === null && isText(v)) s.firstText = { value: v, line: rec.line };
      if (s.distinct && s.distinct.size < MAX_LABELS) s.distinct.add(v);
    }
    return null;
  });
  if (!r.ok) return r;
  return { ok: true, value: { header: r.value.header, count: r.value.rows, plan: plan!, stats } };
}

/** Per output: its slot, its columns' stats, and the label list when a column held text. */
interface TargetFill {
  slot: OutputSlot;
  parts: TargetColumnStats[];
  labels: string[] | null;
  index: Map<string, number> | null;
  data: Float32Array | Int32Array;
}

/** Checks the targets after pass one and decides each output's labels. */
function planTargets(first: FirstPass, path: string, options: LoadOptions, rows = first.count): DataResult<TargetFill[]> {
  const fills: TargetFill[] = [];
  for (const t of first.plan.targets) {
    const slot = first.plan.slotOf.get(t.output)!;
    const parts = first.stats.filter((s) => s.output === t.output);
    const binaryText = slot.loss === 'binary_cross_entropy';
    for (const p of parts) {
      if (slot.kind === 'value' && p.firstText && !binaryText) {
        return dataFail(path, `column "${p.column}" holds "${p.firstText.value}", but output ${slot.name} is trained with ${slot.loss}, which needs numbers; text labels need loss = cross_entropy`, { line: p.firstText.line, column: p.index + 1 }, 'data-mismatch');
      }
    }
    const textual = parts.filter((p) => p.firstText !== null);
    let labels: string[] | null = null;
    if (textual.length) {
      labels = options.labels?.[slot.name] ?? [...new Set(textual.flatMap((p) => [...p.distinct!]))].sort();
      if (slot.kind === 'class') {
        const fits = checkLabelCount(labels, textual[0].column, slot, path);
        if (!fits.ok) return fits;
      } else if (labels.length > 2) {
        return dataFail(path, `the target "${textual[0].column}" has ${labels.length} labels (${labels.join(', ')}), but binary_cross_entropy takes two; use cross_entropy for several classes`, { line: 1 }, 'data-mismatch');
      }
    }
    const size = rows * parts.length;
    // A binary target of two text labels becomes 0/1 values, which the loss reads as floats.
    const data = slot.kind === 'class' ? new Int32Array(size) : new Float32Array(size);
    fills.push({ slot, parts, labels, index: labels ? new Map(labels.map((l, i) => [l, i])) : null, data });
  }
  return { ok: true, value: fills };
}

/**
 * Reads a CSV source through `files.stream` in two passes into a Dataset shaped to `ir`.
 * The result equals the in-memory reader's (tableDataset over csvTable) for the same file.
 */
export async function loadCsvStreamed(source: TrainDataSource, ir: ModelIR, options: LoadOptions & { files: StreamFiles }): Promise<DataResult<Dataset>> {
  return (await loadCsvStreamedSource(source, ir, { ...options, budgetBytes: undefined })) as DataResult<Dataset>;
}

/**
 * loadCsvStreamed, but rows go to a temporary row store (a DiskRows source) when the
 * arrays would take more than `options.budgetBytes` and `files.createRowStore` exists.
 */
export async function loadCsvStreamedSource(source: TrainDataSource, ir: ModelIR, options: LoadOptions & { files: StreamFiles }): Promise<DataResult<Dataset | DiskRows>> {
  const path = source.path ?? '';
  const files = options.files;
  const first = await firstPass(files, path, source, ir, options);
  if (!first.ok) return first;
  const { plan, count } = first.value;
  const targets = planTargets(first.value, path, options, 0);
  if (!targets.ok) return targets;
  const rowValues = plan.inputs.reduce((a, s) => a + s.size, 0) + targets.value.reduce((a, t) => a + t.parts.length, 0);
  const budget = options.budgetBytes ?? Infinity;
  if (!(count * rowValues * 4 > budget && files.createRowStore)) return fillArrays(first.value, targets, path, files, count, null);
  const layout = rowLayout([
    ...plan.inputs.map((s) => ({ group: 'inputs' as const, name: s.name, sampleShape: s.shape, size: s.size, dtype: s.int ? 'int32' as const : 'float32' as const })),
    ...targets.value.map((t) => ({ group: 'targets' as const, name: t.slot.name, sampleShape: t.slot.targetShape, size: t.parts.length, dtype: t.slot.kind === 'class' ? 'int32' as const : 'float32' as const })),
  ]);
  const store = await files.createRowStore(layout.rowValues * 4);
  let kept = false;
  try {
    const r = await fillArrays(first.value, targets, path, files, 1, store);
    if (!r.ok) return r;
    kept = true;
    const labels = r.value.labels ?? {};
    return { ok: true, value: new DiskRows(store, layout, count, labels, blockRowsFor(layout.rowValues * 4, budget)) };
  } finally {
    if (!kept) await store.delete();
  }
}

/**
 * The second pass: parses every row into arrays of `rows` samples; with a store, the arrays
 * hold one row, which is appended to the store once parsed (the Dataset's arrays are then
 * that last row only; the caller keeps just its labels).
 */
async function fillArrays(first: FirstPass, planned: { value: TargetFill[] }, path: string, files: StreamFiles, rows: number, store: RowStore | null): Promise<DataResult<Dataset>> {
  const { plan, count } = first;
  const targets = { value: planned.value.map((t) => ({ ...t, data: t.slot.kind === 'class' ? new Int32Array(rows * t.parts.length) : new Float32Array(rows * t.parts.length) })) };
  const inputs: Record<string, ArraySet> = {};
  const featureIndex = plan.features.map((f) => plan.colIndex.get(f)!);
  const slots = plan.inputs.map((s, k) => ({ ...s, data: s.int ? new Int32Array(rows * s.size) : new Float32Array(rows * s.size), offset: plan.inputs.slice(0, k).reduce((a, x) => a + x.size, 0) }));
  for (const s of slots) inputs[s.name] = { data: s.data, sampleShape: s.shape };
  const writer = store ? new RowWriter(rowLayout([...slots, ...targets.value].map((x) => ({ group: 'inputs', name: '', sampleShape: [], size: x.data.length, dtype: x.data instanceof Int32Array ? 'int32' : 'float32' }))), store) : null;
  const fields = [...slots.map((s) => s.data), ...targets.value.map((t) => t.data)];

  // The header is record 0, so data row r is record r + 1. With a store every row is parsed into slot 0.
  let line = -2;
  let row = 0;
  const filled = await eachRecord(files, path, (rec) => {
    if (++line < 0) return null;
    row = writer ? 0 : line;
    const at = (ci: number) => ({ line: rec.line, column: ci + 1 });
    for (const s of slots) {
      for (let j = 0; j < s.size; j++) {
        const ci = featureIndex[s.offset + j];
        const what = `column "${first.header[ci]}"`;
        const v = numericCell(rec.fields[ci], what);
        if (!v.ok) return dataFail(path, v.message, at(ci));
        // The in-memory reader holds features as float32 before the integer check; so does this one.
        const f = Math.fround(v.value);
        if (s.int && !Number.isInteger(f)) return dataFail(path, `${what} is ${f}, but input ${s.name} takes integer ids (it is declared int)`, at(ci));
        s.data[row * s.size + j] = v.value;
      }
    }
    for (const t of targets.value) {
      const k = t.parts.length;
      for (let j = 0; j < k; j++) {
        const p = t.parts[j];
        const cell = rec.fields[p.index];
        const what = `column "${p.column}"`;
        if (t.index) {
          const idx = t.index.get(cell);
          if (idx === undefined) return dataFail(path, `${what} holds the label "${cell}", which the training data does not have (its labels: ${t.labels!.join(', ')})`, at(p.index), 'data-mismatch');
          t.data[row * k + j] = idx;
          continue;
        }
        const v = numericCell(cell, what);
        if (!v.ok) return dataFail(path, v.message, at(p.index));
        if (t.slot.kind === 'class') {
          const bad = badClassIndex(what, v.value);
          if (bad) return dataFail(path, bad, at(p.index));
          if (v.value >= t.slot.units) {
            return dataFail(path, `${what} is class ${v.value}, but output ${t.slot.name} is ${formatShape(t.slot.shape)} with ${t.slot.units} classes (0 to ${t.slot.units - 1}); widen the output or fix the label`, at(p.index), 'data-mismatch');
          }
        }
        t.data[row * k + j] = v.value;
      }
    }
    writer?.push(fields);
    return null;
  });
  if (!filled.ok) return filled;
  writer?.flush();
  if (writer && writer.rows !== count) return dataFail(path, `the file changed while it was read: ${writer.rows} data rows now, ${count} before`);
  const dataset: Dataset = { count, inputs, targets: {}, labels: {} };
  for (const t of targets.value) {
    dataset.targets[t.slot.name] = { data: t.data, sampleShape: t.slot.targetShape };
    dataset.labels![t.slot.name] = t.labels;
  }
  return { ok: true, value: dataset };
}
