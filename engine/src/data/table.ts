// Turns a table of records (from CSV or JSON) into training arrays: features filled
// row-major into the model input, and one target array per model output. String targets
// become class indices over the sorted distinct values (spec §5); every bad value is
// reported with the row and column where the user can fix it.

import { dataFail, type DataResult } from './data_error';

/** A table whichever format it came from; `locate` says where a cell sits in the source file. */
export interface RecordTable {
  file: string;
  columns: string[];
  rows: (string | number | boolean | null)[][];
  locate(row: number, column: number): { line?: number; column?: number; record?: number };
}

export interface TargetSpec {
  output: string;
  column: string;
  /** Class targets give Int32 class indices; others Float32 values. */
  kind: 'class' | 'value';
}

export interface TableSpec {
  /** Feature columns; default every column that is not a target. */
  features?: string[];
  targets: TargetSpec[];
}

export interface TargetArray {
  output: string;
  column: string;
  values: Float32Array | Int32Array;
  /** The label of each class index when the column held strings, else null. */
  labels: string[] | null;
}

export interface TableData {
  count: number;
  featureColumns: string[];
  /** count × featureColumns.length, row-major. */
  features: Float32Array;
  targets: TargetArray[];
}

function where(t: RecordTable, r: number, c: number): { line?: number; column?: number } {
  const at = t.locate(r, c);
  return { line: at.line, column: at.column };
}

function describeCell(t: RecordTable, r: number, c: number): string {
  const at = t.locate(r, c);
  const rec = at.line === undefined && at.record !== undefined ? `record ${at.record}, ` : '';
  return `${rec}column "${t.columns[c]}"`;
}

function missingColumn(t: RecordTable, name: string, role: string): DataResult<never> {
  return dataFail(t.file, `the ${role} column "${name}" does not exist; the columns are: ${t.columns.join(', ')}`, { line: 1 }, 'data-mismatch');
}

/** A decimal number as a CSV or JSON file writes one: 12, -0.5, .5, 1e-3, +3.0E2. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A cell as a number, or the message that says why it is not one (`what` names the cell,
 * e.g. `column "x"`). Shared with the streaming CSV reader so both word faults alike. Only
 * decimal text is a number: `0x10`, `0b1` and `0o7`, which JavaScript's Number() reads as
 * 16, 1 and 7, are refused, and so is a value that float32 (the training precision) cannot
 * hold, such as 1e39.
 */
export function numericCell(v: string | number | boolean | null, what: string): { ok: true; value: number } | { ok: false; message: string } {
  if (v === null || (typeof v === 'string' && v.trim() === '')) {
    return { ok: false, message: `${what} is empty; a feature needs a number (fill or drop the row)` };
  }
  let n: number;
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^[+-]?nan$/i.test(s)) n = NaN;
    else if (/^[+-]?Infinity$/.test(s)) n = Number(s);
    else if (DECIMAL.test(s)) n = Number(s);
    else if (Number.isFinite(Number(s))) {
      return { ok: false, message: `${what} holds "${v}", which is not a decimal number; write numbers in decimal (such as 16, -0.5 or 1e-3), not in hexadecimal, binary or octal` };
    } else {
      return { ok: false, message: `${what} holds "${v}", which is not a number; features must be numeric (encode categories as numbers or make it the target)` };
    }
  } else n = typeof v === 'number' ? v : v ? 1 : 0;
  if (!Number.isFinite(n)) {
    return { ok: false, message: `${what} is ${String(v)}; NaN and infinite values cannot be trained on (clean the data first)` };
  }
  if (!Number.isFinite(Math.fround(n))) {
    return { ok: false, message: `${what} is ${String(v)}, which is out of float32 range (magnitudes up to about 3.4e38); training computes in float32, so rescale the column` };
  }
  return { ok: true, value: n };
}

/** The message for a number that is not a class index (`what` names the cell). */
export function badClassIndex(what: string, v: number): string | null {
  return !Number.isInteger(v) || v < 0 ? `${what} is ${v}; a class target must be a label or an integer class index ≥ 0` : null;
}

/** Parses a numeric cell; rejects empty, non-numeric, NaN and infinite values with their place. */
function numberAt(t: RecordTable, r: number, c: number): DataResult<number> {
  const n = numericCell(t.rows[r][c], describeCell(t, r, c));
  return n.ok ? n : dataFail(t.file, n.message, where(t, r, c));
}

export function tableToArrays(t: RecordTable, spec: TableSpec): DataResult<TableData> {
  const index = new Map(t.columns.map((c, i) => [c, i]));
  const targetCols: number[] = [];
  for (const tg of spec.targets) {
    const i = index.get(tg.column);
    if (i === undefined) return missingColumn(t, tg.column, 'target');
    targetCols.push(i);
  }
  const featureNames = spec.features ?? t.columns.filter((_, i) => !targetCols.includes(i));
  const featureCols: number[] = [];
  for (const f of featureNames) {
    const i = index.get(f);
    if (i === undefined) return missingColumn(t, f, 'feature');
    featureCols.push(i);
  }
  const count = t.rows.length;
  const width = featureCols.length;
  const features = new Float32Array(count * width);
  for (let r = 0; r < count; r++) {
    for (let j = 0; j < width; j++) {
      const v = numberAt(t, r, featureCols[j]);
      if (!v.ok) return v;
      features[r * width + j] = v.value;
    }
  }
  const targets: TargetArray[] = [];
  for (let k = 0; k < spec.targets.length; k++) {
    const tg = spec.targets[k];
    const c = targetCols[k];
    const isText = t.rows.some((row) => typeof row[c] === 'string' && row[c] !== '' && Number.isNaN(Number(row[c])));
    if (tg.kind === 'class' && isText) {
      const labels = [...new Set(t.rows.map((row) => String(row[c])))].sort();
      const id = new Map(labels.map((l, i) => [l, i]));
      const values = new Int32Array(count);
      for (let r = 0; r < count; r++) values[r] = id.get(String(t.rows[r][c]))!;
      targets.push({ output: tg.output, column: tg.column, values, labels });
      continue;
    }
    const values = tg.kind === 'class' ? new Int32Array(count) : new Float32Array(count);
    for (let r = 0; r < count; r++) {
      const v = numberAt(t, r, c);
      if (!v.ok) return v;
      const notClass = tg.kind === 'class' ? badClassIndex(describeCell(t, r, c), v.value) : null;
      if (notClass) return dataFail(t.file, notClass, where(t, r, c));
      values[r] = v.value;
    }
    targets.push({ output: tg.output, column: tg.column, values, labels: null });
  }
  return { ok: true, value: { count, featureColumns: featureNames, features, targets } };
}
