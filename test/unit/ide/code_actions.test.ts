// Quick fixes from Diagnostic.fix: replace a misspelt layer, insert Flatten or Reshape in
// the form that fits the statement.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeActions, insertLayer } from '../../../server/src/ide/code_actions';
import type { CheckedFile } from '../../../server/src/sema/checked';
import type { Diagnostic } from '../../../server/src/syntax/diagnostic';
import { check, offsetOf } from './helpers';

function apply(text: string, edits: { span: { start: number; end: number }; newText: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

test('an unknown layer gets a "change to" fix from the checker\'s suggestion', () => {
  const text = 'model M {\n  input x: [4]\n  Dens(3)\n}\n';
  const c = check(text);
  const actions = codeActions(c, text, { start: 0, end: text.length });
  assert.equal(actions.length, 1);
  assert.equal(actions[0].title, "Change to 'Dense'");
  assert.equal(actions[0].diagnostic.code, 'unknown-layer');
  assert.equal(apply(text, actions[0].edits), 'model M {\n  input x: [4]\n  Dense(3)\n}\n');
  assert.deepEqual(codeActions(c, text, { start: 0, end: 5 }), [], 'outside the range: no fix');
});

test('Keras spellings get one fix each, and applying them all gives a model that checks clean', () => {
  const text = 'model M {\n  input x: [28, 28, 1]\n  Conv2D(8, kernel_size=3, strides=2)\n  BatchNormalization()\n  GlobalAveragePooling2D()\n  Dense(10, use_bias=false)\n}\n';
  const c = check(text);
  assert.deepEqual(c.diagnostics.map((d) => d.code), ['unknown-argument', 'unknown-argument', 'unknown-layer', 'unknown-layer', 'unknown-argument']);
  const actions = codeActions(c, text, { start: 0, end: text.length });
  assert.deepEqual(actions.map((a) => a.title), ["Change to 'kernel'", "Change to 'stride'", "Change to 'BatchNorm'", "Change to 'GlobalAvgPool2D'", "Change to 'bias'"]);
  const fixed = apply(text, actions.flatMap((a) => a.edits));
  assert.equal(fixed, 'model M {\n  input x: [28, 28, 1]\n  Conv2D(8, kernel=3, stride=2)\n  BatchNorm()\n  GlobalAvgPool2D()\n  Dense(10, bias=false)\n}\n');
  const after = check(fixed);
  assert.deepEqual(after.diagnostics, []);
  // The Keras spelling was checked as the layer it means: same parameters before and after.
  assert.equal(c.models[0].params, after.models[0].params);
});

function withDiagnostic(c: CheckedFile, d: Diagnostic): CheckedFile {
  return { ...c, diagnostics: [d] };
}

test('insert-flatten: a statement line before a chain head, `Flatten() -> ` mid-chain', () => {
  const text = 'model M {\n  input x: [4, 4]\n  Dense(3)\n  y = x -> Dense(2)\n}\n';
  const c = check(text);
  const head = offsetOf(text, 'Dense(3)');
  const mk = (start: number): Diagnostic => ({
    code: 'rank-mismatch',
    severity: 'error',
    message: 'test',
    span: { start, end: start + 5 },
    related: [],
    fix: { kind: 'insert-flatten', before: { start, end: start + 8 } },
  });
  const a = codeActions(withDiagnostic(c, mk(head)), text, { start: head, end: head });
  assert.equal(apply(text, a[0].edits), 'model M {\n  input x: [4, 4]\n  Flatten()\n  Dense(3)\n  y = x -> Dense(2)\n}\n');
  const mid = offsetOf(text, 'Dense(2)');
  const b = codeActions(withDiagnostic(c, mk(mid)), text, { start: mid, end: mid });
  assert.equal(apply(text, b[0].edits), 'model M {\n  input x: [4, 4]\n  Dense(3)\n  y = x -> Flatten() -> Dense(2)\n}\n');
});

test('insert-reshape writes the target shape', () => {
  const text = 'model M {\n  input x: [784]\n  y = x -> Conv2D(8, 3)\n}\n';
  const at = offsetOf(text, 'Conv2D');
  const edit = insertLayer(text, { start: at, end: at + 12 }, 'Reshape([28, 28, 1])');
  assert.equal(apply(text, [edit]), 'model M {\n  input x: [784]\n  y = x -> Reshape([28, 28, 1]) -> Conv2D(8, 3)\n}\n');
  const c = check(text);
  const d: Diagnostic = {
    code: 'rank-mismatch',
    severity: 'error',
    message: 'test',
    span: { start: at, end: at + 6 },
    related: [],
    fix: { kind: 'insert-reshape', before: { start: at, end: at + 12 }, shape: [28, 28, 1] },
  };
  const actions = codeActions(withDiagnostic(c, d), text, { start: at, end: at });
  assert.equal(actions[0].title, 'Insert Reshape([28, 28, 1])');
  assert.equal(apply(text, actions[0].edits), apply(text, [edit]));
});

test('loss-mismatch: the Insert Flatten() fix is offered from the Dense that kept the leading axes too', () => {
  const text =
    'model M {\n  input x: [8, 8, 1]\n  Conv2D(4, 3)\n  Dense(10)\n}\ntrain M {\n  data = csv("d.csv", target="y")\n  loss = cross_entropy\n}\n';
  const c = check(text);
  const loss = c.diagnostics.find((d) => d.code === 'loss-mismatch');
  assert.ok(loss, 'a loss-mismatch is reported');
  const dense = offsetOf(text, 'Dense(10)');
  assert.ok(loss.related.some((r) => r.span.start === dense && /insert Flatten\(\) before it/.test(r.message)), 'related information on the Dense');
  const fromLoss = codeActions(c, text, { start: loss.span.start, end: loss.span.start });
  const fromDense = codeActions(c, text, { start: dense + 2, end: dense + 2 });
  for (const a of [fromLoss, fromDense]) {
    const flatten = a.find((x) => x.title === 'Insert Flatten()');
    assert.ok(flatten);
    assert.equal(flatten.diagnostic.code, 'loss-mismatch');
    assert.ok(apply(text, flatten.edits).includes('  Conv2D(4, 3)\n  Flatten()\n  Dense(10)\n'));
  }
  const conv = offsetOf(text, 'Conv2D');
  assert.deepEqual(codeActions(c, text, { start: conv, end: conv }), [], 'not from an unrelated line');
});

test('empty-dimension: "Use padding=same" adds, fills or replaces the padding argument', () => {
  const cases: [string, string][] = [
    ['Conv2D(4, 5)', 'Conv2D(4, 5, padding=same)'],
    ['Conv2D(4, 5, activation=relu)', 'Conv2D(4, 5, activation=relu, padding=same)'],
    ['Conv2D(4, 5, padding=valid)', 'Conv2D(4, 5, padding=same)'],
    ['MaxPool2D(pool=5)', 'MaxPool2D(pool=5, padding=same)'],
    ['MaxPool2D(5, 1, valid)', 'MaxPool2D(5, 1, same)'],
  ];
  for (const [call, fixed] of cases) {
    const text = `model M {\n  input x: [3, 3, 1]\n  y = x -> ${call}\n}\n`;
    const c = check(text);
    const d = c.diagnostics.find((x) => x.code === 'empty-dimension');
    assert.ok(d, `${call}: empty-dimension`);
    const a = codeActions(c, text, d.span).filter((x) => x.title === 'Use padding=same');
    assert.equal(a.length, 1, call);
    const after = apply(text, a[0].edits);
    assert.equal(after, `model M {\n  input x: [3, 3, 1]\n  y = x -> ${fixed}\n}\n`);
    assert.equal(check(after).diagnostics.filter((x) => x.severity === 'error').length, 0, `${fixed} checks clean`);
  }
});

test('set-padding forms for empty parentheses and a bare name', () => {
  const text = 'model M {\n  input x: [1, 1, 2]\n  MaxPool2D()\n  y = x -> MaxPool2D\n}\n';
  const c = check(text);
  const ds = c.diagnostics.filter((x) => x.code === 'empty-dimension');
  assert.ok(ds.length >= 1);
  const a = codeActions(c, text, ds[0].span).find((x) => x.title === 'Use padding=same');
  assert.ok(a);
  assert.ok(apply(text, a.edits).includes('  MaxPool2D(padding=same)\n'));
  const bareText = 'model M {\n  input x: [1, 1, 2]\n  y = x -> MaxPool2D\n}\n';
  const b = check(bareText);
  const bd = b.diagnostics.find((x) => x.code === 'empty-dimension');
  assert.ok(bd);
  const ba = codeActions(b, bareText, bd.span).find((x) => x.title === 'Use padding=same');
  assert.ok(ba);
  assert.equal(apply(bareText, ba.edits), 'model M {\n  input x: [1, 1, 2]\n  y = x -> MaxPool2D(padding=same)\n}\n');
});
