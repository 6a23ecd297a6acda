// A text classifier through the CLI (dist/cli.js, built by `npm run build`): `netspec
// train` on a csv text column saves the vocabulary in the weights' metadata, and `netspec
// predict` reads raw text with it — messages that are not in the training file, whose
// words are mapped by the saved vocabulary, come out with the classes training learned.
// Weights without the vocabulary are refused, naming the file.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { decodeSafetensors, encodeSafetensors } from '../../engine/src/io/safetensors';

const CLI = resolve('dist/cli.js');
const MODEL =
  'model Spam {\n  input ids: [6] int\n  Embedding(50, 8)\n  GlobalAvgPool1D()\n  Dense(2, activation=softmax)\n}\n\n' +
  'train Spam {\n  data = csv("train.csv", target="label", text="message", vocab=50, length=6)\n  loss = cross_entropy\n  optimizer = adam(lr=0.05)\n  epochs = 60\n  batch_size = 4\n  seed = 1\n}\n';

// Spam is about money and prizes, ham about meeting up: the words decide the class.
const SPAM = ['win money now', 'free prize claim now', 'win a free prize', 'claim your money', 'free money win', 'prize money now'];
const HAM = ['lunch at noon', 'see you at lunch', 'meeting at noon today', 'see you today', 'lunch meeting today', 'noon meeting'];

let dir: string;

function run(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netspec-predict-text-'));
  writeFileSync(join(dir, 'm.netspec'), MODEL);
  const rows = SPAM.flatMap((s, i) => [`"${s}",spam`, `"${HAM[i]}",ham`]);
  writeFileSync(join(dir, 'train.csv'), ['message,label', ...rows].join('\n') + '\n');
  const r = run(['train', 'm.netspec', '--backend', 'cpu', '--out', 'spam.safetensors']);
  assert.equal(r.status, 0, r.stderr);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('the vocabulary is saved in the weights, most frequent training word first', () => {
  const decoded = decodeSafetensors(new Uint8Array(readFileSync(join(dir, 'spam.safetensors'))));
  assert.ok(decoded.ok);
  const vocab = JSON.parse(decoded.metadata.vocab);
  // "money" is in 4 training messages, more than any other word.
  assert.equal(vocab[0], 'money');
  assert.ok(vocab.includes('lunch') && vocab.includes('prize'));
});

test('predict reads raw text with the saved vocabulary and gives the learned classes', () => {
  writeFileSync(join(dir, 'new.csv'), 'message\n"WIN a FREE prize, now!!"\n"Lunch today at noon?"\n"money money money"\n"see you at the meeting"\n');
  const r = run(['predict', 'm.netspec', '--weights', 'spam.safetensors', '--data', 'new.csv', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const classes = r.stdout.trim().split('\n').map((l) => JSON.parse(l).class);
  assert.deepEqual(classes, ['spam', 'ham', 'spam', 'ham']);
});

test('weights without the vocabulary are refused for a text source, naming the file', () => {
  const decoded = decodeSafetensors(new Uint8Array(readFileSync(join(dir, 'spam.safetensors'))));
  assert.ok(decoded.ok);
  const { vocab: _dropped, ...rest } = decoded.metadata;
  writeFileSync(join(dir, 'novocab.safetensors'), encodeSafetensors(decoded.arrays, rest));
  writeFileSync(join(dir, 'one.csv'), 'message\nwin money\n');
  const r = run(['predict', 'm.netspec', '--weights', 'novocab.safetensors', '--data', 'one.csv']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /novocab\.safetensors: error: the "vocab" metadata is missing, but the train block reads text="message"/);
  assert.equal(r.stdout, '');
});
