// Targeted parser tests beside the golden corpus: spans the IDE features rely on, value
// details, recovery guarantees (a broken model never hides the next one), and that the
// parser never throws, whatever the input.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../../server/src/syntax/parser';
import type { BindStmt, Call, ChainStmt, ModelDecl, TrainDecl } from '../../../server/src/syntax/ast';
import { corpusFiles, CORPUS_DIR } from './corpus';

function model(text: string, i = 0): ModelDecl {
  const d = parse(text).file.decls[i];
  assert.equal(d.kind, 'Model');
  return d as ModelDecl;
}

const slice = (text: string, s: { start: number; end: number }): string => text.slice(s.start, s.end);

test('call, argument and statement spans', () => {
  const text = 'model M {\n  h = x -> Dense(10, activation=relu)   # trailing\n}\n';
  const bind = model(text).body[0] as BindStmt;
  assert.equal(bind.kind, 'Bind');
  assert.equal(slice(text, bind.span), 'h = x -> Dense(10, activation=relu)');
  const call = bind.layers[0];
  assert.equal(slice(text, call.span), 'Dense(10, activation=relu)');
  assert.equal(slice(text, call.argsSpan!), '(10, activation=relu)');
  assert.equal(slice(text, call.callee.span), 'Dense');
  assert.equal(slice(text, call.args[1].span), 'activation=relu');
  assert.equal(call.args[1].name?.name, 'activation');
  assert.equal(call.args[0].name, null);
});

test('bare layers, chains and aliases', () => {
  const m = model('model M {\n  Flatten -> ReLU()\n  y = x\n}');
  const chain = m.body[0] as ChainStmt;
  assert.deepEqual(chain.layers.map((l: Call) => [l.callee.name, l.hasParens, l.argsSpan === null]), [
    ['Flatten', false, true],
    ['ReLU', true, false],
  ]);
  const alias = m.body[1] as BindStmt;
  assert.equal(alias.source?.kind, 'Ident');
  assert.deepEqual(alias.layers, []);
});

test('numbers, negatives, booleans and string escapes', () => {
  const text = 'train M {\n  a = [-1, 2, 0.5, .5, 1e-3, true]\n  b = "x\\"y\\\\z"\n}';
  const { file, diagnostics } = parse(text);
  assert.deepEqual(diagnostics, []);
  const t = file.decls[0] as TrainDecl;
  const list = t.settings[0].value!;
  assert.equal(list.kind, 'List');
  if (list.kind !== 'List') return;
  assert.deepEqual(
    list.items.map((e) => (e.kind === 'Number' ? [e.value, e.isInt] : e.kind === 'Bool' ? e.value : null)),
    [[-1, true], [2, true], [0.5, false], [0.5, false], [0.001, false], true],
  );
  assert.equal(slice(text, list.items[0].span), '-1');
  const s = t.settings[1].value!;
  assert.equal(s.kind === 'String' && s.value, 'x"y\\z');
});

test('input dtypes and repeat bodies', () => {
  const m = model('model M {\n  input ids: [seq] int\n  input f: [3] float\n  repeat 2 {\n    Dense(3)\n  }\n}');
  const [ids, f, rep] = m.body;
  assert.equal(ids.kind === 'Input' && ids.dtype, 'int32');
  assert.equal(f.kind === 'Input' && f.dtype, 'float32');
  assert.equal(rep.kind, 'Repeat');
  assert.equal(rep.kind === 'Repeat' && rep.body.length, 1);
});

test('an error in the first model leaves the second parsed completely', () => {
  const text = readFileSync(join(CORPUS_DIR, 'err', '08_error_then_valid_model.netspec'), 'utf8');
  const { file, diagnostics } = parse(text);
  assert.ok(diagnostics.length >= 1);
  assert.equal(file.decls.length, 2);
  const good = file.decls[1] as ModelDecl;
  assert.equal(good.name?.name, 'Good');
  assert.deepEqual(good.body.map((s) => s.kind), ['Input', 'Chain', 'Bind', 'Output']);
  // The same model parsed on its own gives the same statements, shifted.
  const alone = text.slice(good.span.start);
  const ref = model(alone);
  assert.deepEqual(
    good.body.map((s) => slice(text, s.span)),
    ref.body.map((s) => slice(alone, s.span)),
  );
  for (const d of diagnostics) assert.ok(d.span.end <= good.span.start, 'no diagnostic inside the good model');
});

test('an unclosed body at the end of the file is one diagnostic', () => {
  const { diagnostics } = parse('model A {\n  input x: [3]\n  repeat 2 {\n    Dense(3, \n');
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0].code, 'syntax');
  assert.equal(diagnostics[0].severity, 'error');
});

test('a missing closer is reported where the line stopped, and the next line still parses', () => {
  const text = 'model A {\n  Dense(10\n  Dense(5)\n}\n';
  const { file, diagnostics } = parse(text);
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0].message, "expected ')' to close the call to Dense, found newline");
  assert.equal(slice(text, diagnostics[0].span), '(');
  assert.equal((file.decls[0] as ModelDecl).body.length, 2);
});

test('the tokens are lossless and the file span covers the text', () => {
  for (const f of corpusFiles()) {
    const { file } = parse(f.text);
    assert.equal(file.tokens.map((t) => t.text).join(''), f.text);
    assert.deepEqual(file.span, { start: 0, end: f.text.length });
  }
});

test('never throws, and spans stay inside the text, on mutated corpus files', () => {
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const pieces = ['(', ')', '[', ']', '{', '}', ',', '=', '->', '\n', '"', '#', 'model ', 'x', '1', '-', ':'];
  for (const f of corpusFiles()) {
    for (let k = 0; k < 40; k++) {
      let t = f.text;
      for (let m = 0; m < 3; m++) {
        const at = rand(t.length + 1);
        const cut = rand(4);
        t = t.slice(0, at) + pieces[rand(pieces.length)] + t.slice(at + cut);
      }
      const { file, diagnostics } = parse(t);
      assert.equal(file.tokens.map((x) => x.text).join(''), t);
      for (const d of diagnostics) {
        assert.ok(d.span.start >= 0 && d.span.end <= t.length && d.span.start <= d.span.end, JSON.stringify(d));
        assert.match(d.message, /^expected .+, found .+$/);
      }
    }
  }
});
