import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync, gunzipSync } from 'node:zlib';
import { parseCsv } from '../../../engine/src/data/csv';
import { csvTable, jsonTable } from '../../../engine/src/data/records';
import { tableToArrays } from '../../../engine/src/data/table';
import { parseNpy } from '../../../engine/src/data/npy';
import { parseIdx } from '../../../engine/src/data/idx';
import { formatDataError, type DataResult } from '../../../engine/src/data/data_error';

function errorText<T>(r: DataResult<T>): string {
  assert.equal(r.ok, false, 'expected an error');
  return formatDataError((r as { ok: false; error: Parameters<typeof formatDataError>[0] }).error);
}

test('CSV: quotes, doubled quotes, CRLF and a BOM', () => {
  const r = parseCsv('\ufeffa,b\r\n1,"x, ""y"""\r\n2,z\r\n', 'd.csv');
  assert.ok(r.ok);
  assert.deepEqual(r.value.header, ['a', 'b']);
  assert.deepEqual(r.value.rows, [['1', 'x, "y"'], ['2', 'z']]);
  assert.deepEqual(r.value.lines, [2, 3]);
});

test('CSV: every malformed input is located', () => {
  assert.match(errorText(parseCsv('', 'e.csv')), /^e\.csv: error\[data-error\]: the file is empty/);
  assert.match(errorText(parseCsv('a,b\n1,2\n3\n', 'r.csv')), /^r\.csv:3:1: error\[data-error\]: row has 1 fields but the header has 2/);
  assert.match(errorText(parseCsv('a,b\n1,"2\n', 'q.csv')), /^q\.csv:2:3: .*never closed/);
  assert.match(errorText(parseCsv('a,b\n', 'h.csv')), /no data rows/);
  assert.match(errorText(parseCsv('a,a\n1,2\n', 'd.csv')), /names column "a" twice/);
});

test('table: features row-major, string targets become sorted class indices', () => {
  const t = csvTable('x1,x2,label\n1,2,dog\n3,4,cat\n5,6,dog\n', 'p.csv');
  assert.ok(t.ok);
  const r = tableToArrays(t.value, { targets: [{ output: 'output', column: 'label', kind: 'class' }] });
  assert.ok(r.ok);
  assert.deepEqual([...r.value.features], [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(r.value.targets[0].labels, ['cat', 'dog']);
  assert.deepEqual([...r.value.targets[0].values], [1, 0, 1]);
});

test('table: non-numeric, NaN and missing columns name the place', () => {
  const bad = csvTable('x1,x2,y\n1,2,0\n3,abc,1\n', 'b.csv');
  assert.ok(bad.ok);
  assert.match(errorText(tableToArrays(bad.value, { targets: [{ output: 'o', column: 'y', kind: 'class' }] })), /^b\.csv:3:2: .*column "x2" holds "abc", which is not a number/);
  const nan = csvTable('x,y\nNaN,1\n', 'n.csv');
  assert.ok(nan.ok);
  assert.match(errorText(tableToArrays(nan.value, { targets: [{ output: 'o', column: 'y', kind: 'value' }] })), /^n\.csv:2:1: .*NaN and infinite values/);
  assert.match(errorText(tableToArrays(nan.value, { targets: [{ output: 'o', column: 'species', kind: 'class' }] })), /data-mismatch.*"species" does not exist; the columns are: x, y/);
});

test('JSON records: values and errors', () => {
  const t = jsonTable('[{"a": 1, "s": "u"}, {"a": 2.5, "s": "v"}]', 'j.json');
  assert.ok(t.ok);
  const r = tableToArrays(t.value, { targets: [{ output: 'o', column: 's', kind: 'class' }] });
  assert.ok(r.ok);
  assert.deepEqual([...r.value.features], [1, 2.5]);
  assert.match(errorText(jsonTable('[{"a": 1},', 'k.json')), /k\.json.*not valid JSON/);
  const hole = jsonTable('[{"a": 1, "y": 0}, {"y": 1}]', 'h.json');
  assert.ok(hole.ok);
  assert.match(errorText(tableToArrays(hole.value, { targets: [{ output: 'o', column: 'y', kind: 'class' }] })), /record 1, column "a" is empty/);
});

function npy(descr: string, shape: number[], body: Uint8Array, fortran = false): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(body, 10 + header.length);
  return out;
}

test('npy: float32, int64 and refusals', () => {
  const f = parseNpy(npy('<f4', [2, 2], new Uint8Array(new Float32Array([1, 2, 3, 4.5]).buffer)), 'x.npy');
  assert.ok(f.ok);
  assert.deepEqual(f.value.shape, [2, 2]);
  assert.deepEqual([...f.value.data], [1, 2, 3, 4.5]);
  const i = parseNpy(npy('<i8', [3], new Uint8Array(new BigInt64Array([1n, 2n, 7n]).buffer)), 'y.npy');
  assert.ok(i.ok);
  assert.ok(i.value.data instanceof Int32Array);
  assert.deepEqual([...i.value.data], [1, 2, 7]);
  assert.match(errorText(parseNpy(npy('<c8', [1], new Uint8Array(8)), 'c.npy')), /dtype <c8 is not supported/);
  assert.match(errorText(parseNpy(npy('<f4', [4], new Uint8Array(8)), 't.npy')), /truncated/);
  assert.match(errorText(parseNpy(npy('<f4', [1], new Uint8Array(4), true), 'o.npy')), /Fortran order/);
  assert.match(errorText(parseNpy(new TextEncoder().encode('a,b\n1,2\n'), 'n.npy')), /not a \.npy file/);
});

test('idx: plain and gzipped MNIST-format files', () => {
  const raw = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 0, 128, 255, 7]);
  for (const bytes of [raw, new Uint8Array(gzipSync(raw))]) {
    const r = parseIdx(bytes, 'i.idx', (b) => new Uint8Array(gunzipSync(b)));
    assert.ok(r.ok);
    assert.deepEqual(r.value.shape, [1, 2, 2]);
    assert.deepEqual([...r.value.data], [0, 128, 255, 7]);
  }
  assert.match(errorText(parseIdx(raw.subarray(0, 18), 'short.idx')), /truncated/);
  assert.match(errorText(parseIdx(new Uint8Array([1, 2, 3, 4]), 'bad.idx')), /not an IDX file/);
});
