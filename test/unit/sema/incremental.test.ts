// The incremental checker must give exactly checkText's result on every text, whatever the
// edit history: random edits (insertions, deletions, replacements of characters and whole
// lines) over the checker corpus are applied one after another, and after each the two
// results are compared in full (tree, tokens, diagnostics, shapes, calls, symbols, models).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../../server/src/sema/check';
import { IncrementalChecker, splitPoints } from '../../../server/src/sema/incremental/incremental';
import { rng } from '../../fuzz/lsp_edits';

const DIR = 'test/corpus/checker';
const corpus = readdirSync(DIR)
  .filter((f) => f.endsWith('.netspec'))
  .sort()
  .map((f) => readFileSync(join(DIR, f), 'utf8'));


const SNIPPETS = ['x', '(', ')', '{', '}', '\n', ' ', '3', 'Dense(4)', '\nmodel Z {\n  input q: [2]\n}\n', '#', '"', '->', ',', 'block', 'repeat 2 {', '= '];

function edit(text: string, r: () => number): string {
  const at = Math.floor(r() * (text.length + 1));
  const kind = r();
  if (kind < 0.4) return text.slice(0, at) + SNIPPETS[Math.floor(r() * SNIPPETS.length)] + text.slice(at);
  if (kind < 0.7) return text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 3));
  if (kind < 0.85) {
    // Move a whole line elsewhere (changes offsets and line numbers of everything between).
    const lines = text.split('\n');
    const i = Math.floor(r() * lines.length);
    const [line] = lines.splice(i, 1);
    lines.splice(Math.floor(r() * (lines.length + 1)), 0, line);
    return lines.join('\n');
  }
  return text.slice(0, at) + String.fromCharCode(32 + Math.floor(r() * 90)) + text.slice(at + 1);
}

function same(a: unknown, b: unknown, context: string): void {
  assert.deepEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)), context);
}

test('split points are declaration keywords that start a line, as the parser recovers there', () => {
  const text = 'model A {\n  input x: [4]\n}\nblock B(d) {\n  input x: [d\n  model C {\n}\ntrain A {\n}\n# model D\nmodels = 1\n"x\nmodel E';
  const points = splitPoints(text);
  assert.deepEqual(points.map((p) => text.slice(p, p + 7)), ['model A', 'block B', 'model C', 'train A', 'model E']);
});

test('incremental results equal checkText after every one of many random edits', () => {
  const r = rng(20240601);
  for (let f = 0; f < corpus.length; f++) {
    const checker = new IncrementalChecker();
    let text = corpus[f] + '\n' + corpus[(f + 1) % corpus.length];
    same(checker.update(text, '/tmp/x.netspec'), checkText(text, { path: '/tmp/x.netspec' }), `file ${f}, initial`);
    for (let step = 0; step < 25; step++) {
      text = edit(text, r);
      same(checker.update(text, '/tmp/x.netspec'), checkText(text, { path: '/tmp/x.netspec' }), `file ${f}, step ${step}:\n${text}`);
    }
  }
});

test('an edit re-checks only the declaration it touches', () => {
  const models = Array.from({ length: 50 }, (_, i) => `model M${i} {\n  input x: [${i + 1}]\n  Dense(4)\n}\n`).join('\n');
  const checker = new IncrementalChecker();
  const first = checker.update(models);
  const edited = models.replace('input x: [7]', 'input x: [8]');
  const second = checker.update(edited);
  // Unchanged models are reused as they were (same objects), the edited one is fresh.
  const reused = second.models.filter((m, i) => m === first.models[i]).length;
  assert.equal(reused, 49);
  same(second, checkText(edited), 'the result is still exact');
});

test('a suggestion follows the blocks calls resolve against, not every block declaration', () => {
  // A model named like a block shadows it (duplicate name), so `Hea` is not near a block; once
  // the model goes, the block is callable and the suggestion names it. The list of block
  // declarations' names is the same in both texts: a cache keyed by it kept the old answer.
  const m = 'model M {\n  input x: [4]\n  Hea()\n}\n';
  const shadowed = 'model Head {\n  input y: [2]\n}\nblock Head() {\n  input z: [3]\n}\n' + m;
  const unshadowed = 'block Head() {\n  input z: [3]\n}\n' + m;
  const checker = new IncrementalChecker();
  same(checker.update(shadowed), checkText(shadowed), 'shadowed');
  const after = checker.update(unshadowed);
  same(after, checkText(unshadowed), 'unshadowed');
  assert.ok(after.diagnostics.some((d) => d.message.includes('did you mean `Head`?')));
  same(checker.update(shadowed), checkText(shadowed), 'shadowed again');
});

test('a declaration keyword at the start of a line ends a broken block header, as the split assumes', () => {
  const text = 'block Encode(n={\nblock Denser(d) {\n  input x: [d]\n  Dense(d)\n}\nmodel M {\n  input x: [4]\n  Denser(d=4)\n}\n';
  const fresh = checkText(text);
  same(new IncrementalChecker().update(text), fresh, 'incremental equals fresh');
  assert.deepEqual(fresh.file.decls.map((d) => (d.kind === 'Train' ? d.model?.name : d.name?.name)), ['Encode', 'Denser', 'M']);
});

test('declarations that shared a line and move apart keep exact line numbers', () => {
  // The block's Dense sits on the line where the model starts; a newline between them moves
  // the model's lines but not the block's, so no single line shift fits the model's result.
  const joined = 'block A(d) {\n  input x: [d]\n  Dense(d) } model M {\n  input x: [4]\n  A(d=4)\n  Dense(2)\n}\n';
  const split = joined.replace('} model M', '}\nmodel M');
  const checker = new IncrementalChecker();
  same(checker.update(joined), checkText(joined), 'joined');
  same(checker.update(split), checkText(split), 'split');
  same(checker.update(joined), checkText(joined), 'joined again');
});

test('a kept declaration moves its set-padding fix with it', () => {
  const model = 'model P {\n  input x: [3, 3, 1]\n  Conv2D(4, 5)\n}\n';
  const checker = new IncrementalChecker();
  checker.update(`model A {\n  input a: [2]\n}\n${model}`, '/tmp/x.netspec');
  const text = `model A {\n  input a: [2]\n  Dense(3)\n}\n${model}`;
  const moved = checker.update(text, '/tmp/x.netspec');
  same(moved, checkText(text, { path: '/tmp/x.netspec' }), 'after an edit above');
  const fix = moved.diagnostics.find((d) => d.code === 'empty-dimension')?.fix;
  assert.ok(fix?.kind === 'set-padding');
  assert.equal(text.slice(fix.at.start - 4, fix.at.start), '4, 5');
});
