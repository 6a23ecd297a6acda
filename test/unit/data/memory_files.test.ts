// The webview's case: bytes the extension read, wrapped by memoryFiles, load exactly as the
// CLI loads the same files from disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { checkText } from '../../../server/src/sema/check';
import { lowerTrain } from '../../../server/src/sema/train/lower';
import type { TrainDecl } from '../../../server/src/syntax/ast';
import { loadTrainingData } from '../../../engine/src/data/load';
import { memoryFiles } from '../../../engine/src/data/files';
import { nodeFiles } from '../../../cli/src/data/node_files';

const gunzip = (b: Uint8Array) => new Uint8Array(gunzipSync(b));

function example(path: string) {
  const text = readFileSync(path, 'utf8');
  const checked = checkText(text, { path });
  const decl = checked.file.decls.find((d): d is TrainDecl => d.kind === 'Train')!;
  const train = lowerTrain(decl, { path });
  const ir = checked.models.find((m) => m.name === train.model)!.ir!;
  return { train, ir };
}

test('bytes sent to the panel load exactly as the CLI loads them from disk', async () => {
  const { train, ir } = example('examples/iris/iris.netspec');
  const path = train.data!.path!;
  const fromMemory = await loadTrainingData(train, ir, memoryFiles(new Map([[path, new Uint8Array(readFileSync(path))]]), gunzip));
  const fromDisk = await loadTrainingData(train, ir, nodeFiles);
  assert.ok(fromMemory.ok && fromDisk.ok);
  assert.equal(fromMemory.value.train.count, fromDisk.value.train.count);
  assert.deepEqual(fromMemory.value.train.inputs, fromDisk.value.train.inputs);
  assert.deepEqual(fromMemory.value.validation, fromDisk.value.validation);
});

test('a file the extension did not send is a located error, not a crash', async () => {
  const { train, ir } = example('examples/iris/iris.netspec');
  const r = await loadTrainingData(train, ir, memoryFiles(new Map(), gunzip));
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.error.message : '', /was not sent to the training panel/);
});

test('memory folders are implied by paths (images(DIR) layout)', async () => {
  const files = memoryFiles(new Map([['/d/cat/a.png', new Uint8Array([1])], ['/d/dog/b.png', new Uint8Array([2])], ['/d/x.txt', new Uint8Array([3])]]), gunzip);
  const r = await files.list('/d');
  assert.ok(r.ok);
  assert.deepEqual(r.value, [{ name: 'cat', isDir: true }, { name: 'dog', isDir: true }, { name: 'x.txt', isDir: false }]);
  const missing = await files.list('/nope');
  assert.equal(missing.ok, false);
});
