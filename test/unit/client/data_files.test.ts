// Which files a train block needs, which of them lie outside the workspace, and reading them
// (folders recursively, in a stable order) through a fake file system.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TrainIR } from '../../../engine/catalog/train_ir';
import { dataEntries, isInside, outsideFolders, plainBytes, readDataFiles, type DataFs } from '../../../client/src/data_files';

function trainIR(data: TrainIR['data'], validation: TrainIR['validation'] = null): TrainIR {
  return {
    model: 'M',
    data,
    validation,
    loss: 'mse',
    lossWeights: null,
    optimizer: { name: 'adam', args: {} },
    regularizer: null,
    epochs: 3,
    batchSize: 8,
    metrics: [],
    seed: 1,
    earlyStopping: null,
  };
}

test('a csv block needs its file; a validation source adds its own; repeats count once', () => {
  assert.deepEqual(dataEntries(trainIR({ kind: 'csv', path: '/ws/a.csv', target: 'y' })), [{ path: '/ws/a.csv', kind: 'file' }]);
  assert.deepEqual(dataEntries(trainIR({ kind: 'csv', path: '/ws/a.csv' }, 0.2)), [{ path: '/ws/a.csv', kind: 'file' }]);
  assert.deepEqual(dataEntries(trainIR({ kind: 'json', path: '/ws/a.json' }, { kind: 'json', path: '/ws/b.json' })), [
    { path: '/ws/a.json', kind: 'file' },
    { path: '/ws/b.json', kind: 'file' },
  ]);
  assert.deepEqual(dataEntries(trainIR({ kind: 'csv', path: '/ws/a.csv' }, { kind: 'csv', path: '/ws/./a.csv' })), [{ path: '/ws/a.csv', kind: 'file' }]);
});

test('npy and idx blocks need both files; an images block needs its folder', () => {
  assert.deepEqual(dataEntries(trainIR({ kind: 'npy', files: { features: '/d/x.npy', targets: '/d/y.npy' } })), [
    { path: '/d/x.npy', kind: 'file' },
    { path: '/d/y.npy', kind: 'file' },
  ]);
  assert.deepEqual(dataEntries(trainIR({ kind: 'idx', files: { images: '/d/i.gz', labels: '/d/l.gz' } })).map((e) => e.path), ['/d/i.gz', '/d/l.gz']);
  assert.deepEqual(dataEntries(trainIR({ kind: 'images', path: '/d/pics' })), [{ path: '/d/pics', kind: 'dir' }]);
  assert.deepEqual(dataEntries(trainIR(null)), []);
});

test('inside means the folder or below it, never a sibling with the same prefix or a .. escape', () => {
  assert.equal(isInside('/ws/data/a.csv', '/ws'), true);
  assert.equal(isInside('/ws', '/ws'), true);
  assert.equal(isInside('/ws-other/a.csv', '/ws'), false);
  assert.equal(isInside('/ws/../etc/passwd', '/ws'), false);
  assert.equal(isInside('/etc/passwd', '/ws'), false);
  const entries = [
    { path: '/ws/a.csv', kind: 'file' as const },
    { path: '/home/me/b.csv', kind: 'file' as const },
    { path: '/w2/pics', kind: 'dir' as const },
  ];
  assert.deepEqual(outsideFolders(entries, ['/ws', '/w2']).map((e) => e.path), ['/home/me/b.csv']);
  assert.equal(outsideFolders(entries, []).length, 3, 'without a workspace folder, every path is outside');
});

/** A fake file system over a path → content map; folders are the prefixes of its paths. */
function fakeFs(files: Record<string, string>): DataFs & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async readFile(p) {
      reads.push(p);
      if (!(p in files)) throw new Error('ENOENT');
      return new TextEncoder().encode(files[p]);
    },
    async readDirectory(dir) {
      const prefix = dir.endsWith('/') ? dir : `${dir}/`;
      const kids = new Map<string, 'file' | 'dir'>();
      for (const p of Object.keys(files)) {
        if (!p.startsWith(prefix)) continue;
        const rest = p.slice(prefix.length).split('/');
        kids.set(rest[0], rest.length > 1 ? 'dir' : 'file');
      }
      if (kids.size === 0) throw new Error('ENOTDIR');
      // Deliberately unsorted: the reader sorts.
      return [...kids].reverse();
    },
  };
}

test('reading walks image folders recursively in sorted order and skips hidden files', async () => {
  const fs = fakeFs({ '/d/pics/cat/2.png': 'c2', '/d/pics/cat/1.png': 'c1', '/d/pics/dog/1.png': 'd1', '/d/pics/.DS_Store': 'x', '/d/t.csv': 'a,b' });
  const r = await readDataFiles([{ path: '/d/pics', kind: 'dir' }, { path: '/d/t.csv', kind: 'file' }], fs);
  assert.ok(r.ok);
  assert.deepEqual(r.files.map((f) => f.path), ['/d/pics/cat/1.png', '/d/pics/cat/2.png', '/d/pics/dog/1.png', '/d/t.csv']);
  assert.equal(new TextDecoder().decode(r.files[3].bytes), 'a,b');
  assert.equal(r.bytes, 9);
  assert.ok(!fs.reads.includes('/d/pics/.DS_Store'));
});

test('a missing file or folder is an error value naming the path', async () => {
  const fs = fakeFs({ '/d/a.csv': '1' });
  const missing = await readDataFiles([{ path: '/d/a.csv', kind: 'file' }, { path: '/d/none.csv', kind: 'file' }], fs);
  assert.equal(missing.ok, false);
  assert.match(!missing.ok ? missing.message : '', /cannot read \/d\/none\.csv: ENOENT/);
  const dir = await readDataFiles([{ path: '/nowhere', kind: 'dir' }], fs);
  assert.match(!dir.ok ? dir.message : '', /cannot list the folder \/nowhere/);
});

test('Node Buffers from the file system become plain Uint8Arrays (a Buffer would cross postMessage as JSON)', async () => {
  const fs: DataFs = { readFile: async () => Buffer.from('x,y\n1,2'), readDirectory: async () => [] };
  const r = await readDataFiles([{ path: '/a.csv', kind: 'file' }], fs);
  assert.ok(r.ok);
  const bytes = r.files[0].bytes;
  assert.equal(Buffer.isBuffer(bytes), false);
  assert.equal(Object.getPrototypeOf(bytes), Uint8Array.prototype);
  assert.equal(new TextDecoder().decode(bytes), 'x,y\n1,2');
  assert.equal(JSON.stringify(bytes).startsWith('{"0":'), true, 'a plain array serializes without the Buffer wrapper');
  const plain = new Uint8Array([1]);
  assert.equal(plainBytes(plain), plain, 'a plain array is not copied');
});
