// The weights-file contract (engine/catalog/weights_file.ts) and the CLI's atomic writer
// (cli/src/weights_file.ts): the metadata and names every writer shares; two concurrent
// writes to one output both finish with a whole file and no temporary file; a write that
// fails (injected, or a rename refused) removes its temporary file and leaves the old file,
// and so does a writer stopped by SIGTERM; a writer killed with SIGKILL, which can run no clean-up, leaves the old file whole
// (never a torn one), while the next run removes the dead process's temporary file.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { defaultWeightsPath, weightsFileName, weightsMetadata, weightsTempName, weightsTempPid } from '../../../engine/catalog/weights_file';
import { outputProblem, removeStaleTemps, tempPathFor, writeWeightsFile } from '../../../cli/src/weights_file';

const dir = mkdtempSync(join(tmpdir(), 'netspec-weights-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const temps = (folder: string) => readdirSync(folder).filter((f) => f.endsWith('.tmp'));

test('the contract: metadata, the default file beside the model, unique temporary names', () => {
  assert.deepEqual(weightsMetadata('Iris', { output: ['a', 'b'] }, 3), { format: 'netspec', model: 'Iris', labels: '{"output":["a","b"]}', epoch: '3' });
  assert.deepEqual(weightsMetadata('M', undefined, 1).labels, '{}');
  assert.equal(defaultWeightsPath('/ws/m/iris.netspec', 'Iris'), '/ws/m/Iris.safetensors');
  assert.equal(defaultWeightsPath('C:\\ws\\iris.netspec', 'Iris'), 'C:\\ws\\Iris.safetensors');
  assert.equal(weightsFileName('../evil'), '.._evil.safetensors', 'a model name cannot leave the folder');
  const name = weightsTempName('Iris.safetensors', 4242, 'ab12');
  assert.equal(name, 'Iris.safetensors.4242-ab12.tmp');
  assert.equal(weightsTempPid('Iris.safetensors', name), 4242);
  assert.equal(weightsTempPid('Other.safetensors', name), null, 'another target\'s temporary file is not ours');
  assert.equal(weightsTempPid('Iris.safetensors', 'Iris.safetensors.tmp'), null);
  const target = join(dir, 'u.safetensors');
  assert.notEqual(tempPathFor(target), tempPathFor(target), 'two writes never share a temporary file');
});

test('two concurrent writes to the same output both finish with a whole file and no temporary file', async () => {
  const target = join(dir, 'both.safetensors');
  const a = new Uint8Array(3 << 20).fill(1);
  const b = new Uint8Array(2 << 20).fill(2);
  await Promise.all([writeWeightsFile(target, a), writeWeightsFile(target, b)]);
  const got = readFileSync(target);
  assert.ok(got.equals(Buffer.from(a)) || got.equals(Buffer.from(b)), 'the file is one of the two writes, whole');
  assert.deepEqual(temps(dir), []);
});

test('an injected write failure removes the temporary file and leaves the old file', async () => {
  const target = join(dir, 'fail.safetensors');
  writeFileSync(target, 'old');
  let seen = '';
  await assert.rejects(
    writeWeightsFile(target, new Uint8Array(1000), {
      beforeWrite: (tmp) => {
        seen = tmp;
        assert.ok(existsSync(tmp), 'the temporary file exists while it is written');
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      },
    }),
    /no space left/,
  );
  assert.ok(seen.startsWith(`${target}.${process.pid}-`), seen);
  assert.equal(existsSync(seen), false, 'the temporary file is removed');
  assert.equal(readFileSync(target, 'utf8'), 'old');
  assert.deepEqual(temps(dir), []);
});

test('a refused rename (the output is a folder) removes the temporary file', async () => {
  const target = join(dir, 'folder.safetensors');
  mkdirSync(join(target, 'inside'), { recursive: true });
  await assert.rejects(writeWeightsFile(target, new Uint8Array(10)), (e: NodeJS.ErrnoException) => typeof e.code === 'string');
  assert.deepEqual(temps(dir), []);
});

test('an output that cannot be written is known before any write, with the system\'s code', async () => {
  assert.equal(await outputProblem(join(dir, 'fine.safetensors')), null);
  assert.equal((await outputProblem(join(dir, 'no', 'such', 'w.safetensors')))?.code, 'ENOENT');
  writeFileSync(join(dir, 'plain'), 'x');
  assert.equal((await outputProblem(join(dir, 'plain', 'w.safetensors')))?.code, 'ENOTDIR');
  mkdirSync(join(dir, 'is_folder.safetensors'));
  assert.equal((await outputProblem(join(dir, 'is_folder.safetensors')))?.code, 'EISDIR');
});

/** Starts the writer child; resolves with it once `line` appears on its stdout. */
async function child(mode: 'loop' | 'hang', target: string, size: number, line: RegExp) {
  const c = spawn(process.execPath, ['--import', 'tsx', resolve('test/fixtures/weights_writer_child.ts'), mode, target, String(size)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  c.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((r) => c.on('exit', (_code, signal) => r(signal)));
  await new Promise<void>((ready, fail) => {
    c.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (line.test(out)) ready();
    });
    c.on('exit', () => fail(new Error(`the writer exited early: ${err}`)));
  });
  return { c, exited, pid: c.pid!, out: () => out };
}

test('SIGKILL halfway through writing the temporary file: the old file stays whole, the next write removes the leftover', async () => {
  const folder = mkdtempSync(join(dir, 'hang-'));
  const target = join(folder, 'W.safetensors');
  writeFileSync(target, new Uint8Array(1 << 20).fill(5));
  const { c, exited, pid } = await child('hang', target, 1 << 20, /open\n/);
  c.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  const left = temps(folder);
  assert.equal(left.length, 1, 'SIGKILL runs no clean-up, so the temporary file stays');
  assert.equal(weightsTempPid('W.safetensors', left[0]), pid, 'it names the dead writer');
  assert.equal(readFileSync(join(folder, left[0])).length, 1 << 19, 'it holds half a file');
  assert.ok(readFileSync(target).equals(Buffer.alloc(1 << 20, 5)), 'the old file is untouched');
  assert.deepEqual(await removeStaleTemps(target), left, 'the dead process\'s file is removed');
  await writeWeightsFile(target, new Uint8Array(10).fill(9));
  assert.ok(readFileSync(target).equals(Buffer.alloc(10, 9)));
  assert.deepEqual(temps(folder), []);
});

test('SIGTERM halfway through writing the temporary file: the exit hook removes it and the old file stays', async () => {
  const folder = mkdtempSync(join(dir, 'term-'));
  const target = join(folder, 'W.safetensors');
  writeFileSync(target, 'old');
  const { c } = await child('hang', target, 1 << 20, /open\n/);
  const code = new Promise<number | null>((r) => c.on('exit', (status) => r(status)));
  c.kill('SIGTERM');
  assert.equal(await code, 143);
  assert.deepEqual(temps(folder), [], 'no temporary file after a signal');
  assert.equal(readFileSync(target, 'utf8'), 'old');
});

test('SIGKILL during a stream of large writes never leaves a torn file', async (t) => {
  const folder = mkdtempSync(join(dir, 'loop-'));
  const target = join(folder, 'W.safetensors');
  const size = 16 << 20;
  // Kill once a few versions are whole on disk, while the next ones are being written.
  const { c, exited, out } = await child('loop', target, size, /wrote 3\n/);
  c.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  const bytes = readFileSync(target);
  assert.equal(bytes.length, size, 'the file has a whole version\'s length');
  const v = bytes[0];
  assert.ok(v >= 3, `version ${v} or later (the child reported ${out().trim().split('\n').at(-1)})`);
  assert.ok(bytes.every((x) => x === v), 'every byte belongs to the same version');
  const left = temps(folder);
  t.diagnostic(`temporary files left by the kill: ${left.length}`);
  assert.deepEqual((await removeStaleTemps(target)).sort(), left.sort());
  assert.deepEqual(temps(folder), [], 'whatever the kill left is removed before the next write');
  await writeWeightsFile(target, new Uint8Array(4).fill(1));
  assert.equal(readFileSync(target).length, 4);
});

test('a live process\'s temporary file is kept (another run may be writing it)', async () => {
  const folder = mkdtempSync(join(dir, 'live-'));
  const target = join(folder, 'W.safetensors');
  const { c, exited } = await child('hang', target, 16, /open\n/);
  try {
    assert.deepEqual(await removeStaleTemps(target), []);
    assert.equal(temps(folder).length, 1);
  } finally {
    c.kill('SIGKILL');
    await exited;
  }
  assert.equal((await removeStaleTemps(target)).length, 1, 'removed once its writer is dead');
});
