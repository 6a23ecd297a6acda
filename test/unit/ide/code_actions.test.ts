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
