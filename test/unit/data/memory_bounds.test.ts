// What keeps loading within the data budget, piece by piece: the checker's data probe reads
// a CSV in chunks through the engine's reader (records split across chunk boundaries, CRLF,
// quoted newlines and multi-byte characters included, come out as a whole text reads) and
// counts a target's classes without holding the text (at most 100,000 distinct values a
// column); and the budget covers the copy that a `validation = 0.2` split makes in memory,
// so a CSV whose arrays fit the budget once but not twice trains from rows on disk.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { nodeFiles } from '../../../cli/src/data/node_files';
import { loadTrainingSources } from '../../../engine/src/data/load';
import { parseCsv } from '../../../engine/src/data/csv';
import { csvFileRecords, NodeDataProbe } from '../../../server/src/sema/train/data_probe';
import { checkText } from '../../../server/src/sema/check';
import { lowerTrain } from '../../../server/src/sema/train/lower';
import type { TrainDecl } from '../../../server/src/syntax/ast';

const dir = mkdtempSync(join(tmpdir(), 'netspec-bounds-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the probe reads a file larger than its chunk record for record as the engine reads the whole text', () => {
  // Rows of varied length with CRLF and LF endings, a two-byte character and quoted fields
  // holding commas and newlines, over many of the probe's chunks, so chunk boundaries fall
  // inside fields, inside "\r\n", inside quotes and inside the character's bytes.
  const rows = ['id,text,label'];
  for (let i = 0, length = 0; length < 2.5 * (1 << 20); i++) {
    const text = i % 5 === 0 ? `"é${'x'.repeat(i % 97)},\n""q""\r\nend"` : `é${'x'.repeat(i % 97)}`;
    rows.push(`${i},${text},${i % 3 === 0 ? 'a' : 'b'}`);
    length += rows[rows.length - 1].length + 1;
  }
  const text = rows.map((l, i) => l + (i % 2 === 0 ? '\r\n' : '\n')).join('');
  const path = join(dir, 'records.csv');
  writeFileSync(path, text);
  const whole = parseCsv(text, path);
  assert.ok(whole.ok);
  const [header, ...records] = [...csvFileRecords(path)];
  assert.deepEqual(header.fields, whole.value.header);
  assert.deepEqual(records.map((r) => r.fields), whole.value.rows);
  assert.deepEqual(records.map((r) => r.line), whole.value.lines);
  assert.equal(whole.value.rows[5][1], 'é' + 'x'.repeat(5) + ',\n"q"\r\nend', 'a quoted field keeps its comma, newlines and quotes');
});

test('the probe counts a text target\'s classes by streaming a file larger than its chunk', () => {
  const rows = ['f1,f2,label'];
  for (let i = 0; rows.length < 120_000; i++) rows.push(`${i},${i * 2},${['cat', 'dog', 'eel', 'émeu'][i % 4]}`);
  const path = join(dir, 'classes.csv');
  writeFileSync(path, rows.join('\r\n') + '\r\n');
  const info = new NodeDataProbe().probe(path);
  assert.ok(info.ok);
  assert.deepEqual(info.columns, ['f1', 'f2', 'label']);
  assert.deepEqual(info.column('label'), { distinct: 4, numeric: false });
  assert.deepEqual(info.column('f2'), { distinct: 100_000, numeric: true }, 'distinct values are kept up to 100,000, more than any output has classes');
  assert.equal(info.column('nope'), undefined);
});

function setup(validation: string) {
  const rows = ['a,b,c,d,y'];
  for (let i = 0; i < 1000; i++) rows.push(`${i % 7},${i % 5},${i % 3},${i % 2},${i % 2 === 0 ? 'even' : 'odd'}`);
  writeFileSync(join(dir, 'small.csv'), rows.join('\n') + '\n');
  const path = join(dir, 'm.netspec');
  const src = `model M {\n  input x: [4]\n  Dense(2, activation=softmax)\n}\ntrain M {\n  data = csv("small.csv", target="y")\n  loss = cross_entropy\n${validation}}\n`;
  writeFileSync(path, src);
  const checked = checkText(src, { path });
  const decl = checked.file.decls.find((d): d is TrainDecl => d.kind === 'Train')!;
  return { ir: checked.models[0].ir!, config: lowerTrain(decl, { path }) };
}

test('arrays that fit the budget once but not with the validation split\'s copy go to disk', async () => {
  // 1000 rows of 4 features and a class: 20,000 bytes of arrays; the budget holds 1.5 times that.
  const budget = 30_000;
  const whole = setup('');
  const inMemory = await loadTrainingSources(whole.config, whole.ir, nodeFiles, budget);
  assert.ok(inMemory.ok);
  assert.equal('kind' in inMemory.value.train, false, 'without a split the arrays fit and stay in memory');
  await inMemory.value.release();
  const split = setup('  validation = 0.2\n');
  const onDisk = await loadTrainingSources(split.config, split.ir, nodeFiles, budget);
  assert.ok(onDisk.ok);
  assert.equal('kind' in onDisk.value.train, true, 'with a split, arrays and copy exceed the budget: rows on disk');
  assert.equal(onDisk.value.train.count + onDisk.value.validation!.count, 1000);
  await onDisk.value.release();
  const roomy = await loadTrainingSources(split.config, split.ir, nodeFiles, 2 * budget);
  assert.ok(roomy.ok);
  assert.equal('kind' in roomy.value.train, false, 'a budget for both stays in memory');
});
