// What the editor's data check says about data the reader will refuse: a ragged row, a
// repeated header name and bytes that are not UTF-8 are warnings on the data path (the
// reader reports them at their line), never a class or feature count built on misread
// rows; a target list naming one column twice is a data-mismatch on the repeated name; and
// a quoted newline is read as netspec train reads it, since both use the engine's CSV reader.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkText } from '../../../server/src/sema/check';
import { NodeDataProbe } from '../../../server/src/sema/train/data_probe';
import { loadDataset } from '../../../engine/src/data/load';
import { nodeFiles } from '../../../cli/src/data/node_files';

const dir = mkdtempSync(join(tmpdir(), 'netspec-probe-edges-'));
const file = join(dir, 'model.netspec');

function check(csv: string | Buffer, target = '"y"') {
  const name = `d${Math.random().toString(36).slice(2)}.csv`;
  writeFileSync(join(dir, name), csv);
  const src = `model M {\n  input x: [2]\n  Dense(2)\n}\ntrain M {\n  data = csv("${name}", target=${target})\n  loss = cross_entropy\n}\n`;
  const r = checkText(src, { path: file, data: new NodeDataProbe() });
  return r.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, text: src.slice(d.span.start, d.span.end) }));
}

test('a ragged row is a warning naming its line, not a class count', () => {
  const d = check('a,b,y\n1,2,p\n3,4,q\n5,6,7,q\n');
  assert.equal(d.length, 1, JSON.stringify(d));
  assert.equal(d[0].code, 'data-error');
  assert.equal(d[0].severity, 'warning');
  assert.match(d[0].message, /^line 4 of the data has 4 fields but the header has 3/);
});

test('a quoted field over two lines is not taken for a ragged row', () => {
  assert.deepEqual(check('a,b,y\n1,2,"p\nq"\n3,4,q\n'), []);
});

test('a label holding a newline is one class to the editor, as it is to netspec train', async () => {
  // Split at lines, the second line would end the label "x" and start a row whose label is
  // "z": three classes for a two-unit output. The engine's reader sees two.
  const csv = 'a,b,y\n1,2,"x\n3,4,z"\n5,6,q\n';
  assert.deepEqual(check(csv), []);
  const path = join(dir, 'newline_label.csv');
  writeFileSync(path, csv);
  const ir = checkText('model M {\n  input x: [2]\n  Dense(2)\n}\n', { path: file }).models[0].ir!;
  const loaded = await loadDataset({ kind: 'csv', path, target: 'y' }, ir, { config: { loss: 'cross_entropy' }, targets: 'required', files: nodeFiles });
  assert.ok(loaded.ok, JSON.stringify(loaded));
  assert.deepEqual(loaded.value.labels, { [ir.outputs[0].name]: ['q', 'x\n3,4,z'] });
  const info = new NodeDataProbe().probe(path);
  assert.ok(info.ok);
  assert.deepEqual(info.column('y'), { distinct: 2, numeric: false });
});

test('a repeated header name is a warning, not a feature count', () => {
  const d = check('a,y,y\n1,2,p\n3,4,q\n');
  assert.deepEqual(d.map((x) => [x.code, x.severity]), [['data-error', 'warning']]);
  assert.match(d[0].message, /the header names column "y" twice/);
});

test('bytes that are not UTF-8 are a warning, not a new class', () => {
  const d = check(Buffer.concat([Buffer.from('a,b,y\n1,2,p\n3,4,q\n5,6,'), Buffer.from([0xff]), Buffer.from('q\n')]));
  assert.deepEqual(d.map((x) => [x.code, x.severity]), [['data-error', 'warning']]);
  assert.match(d[0].message, /not valid UTF-8/);
});

test('a target list naming one column twice is a data-mismatch on the second name', () => {
  const d = check('a,b,y\n1,2,p\n3,4,q\n', '["y", "y"]');
  assert.equal(d.length, 1, JSON.stringify(d));
  assert.equal(d[0].code, 'data-mismatch');
  assert.equal(d[0].text, '"y"');
  assert.match(d[0].message, /target lists the column "y" twice/);
});
