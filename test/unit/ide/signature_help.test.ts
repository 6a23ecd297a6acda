// Signature help: the enclosing call's signature, with the active parameter from the comma
// count or from the keyword being written.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signatureHelp } from '../../../server/src/ide/signature_help';
import { check, cursors } from './helpers';

function sigAt(marked: string) {
  const { text, at } = cursors(marked);
  return signatureHelp(check(text), text, at[0]);
}

test('the active parameter follows the commas, then the keyword', () => {
  const s0 = sigAt('model M {\n  input x: [28, 28, 1]\n  Conv2D(|)\n}\n')!;
  assert.equal(s0.label, 'Conv2D(filters, kernel, stride=1, padding=valid, activation=linear, bias=true)');
  assert.equal(s0.activeParameter, 0);
  assert.equal(s0.label.slice(...s0.parameters[1].label), 'kernel');
  assert.equal(sigAt('model M {\n  input x: [28, 28, 1]\n  Conv2D(32, |)\n}\n')!.activeParameter, 1);
  assert.equal(sigAt('model M {\n  input x: [28, 28, 1]\n  Conv2D(32, 3, padding=|)\n}\n')!.activeParameter, 3);
});

test('block calls show the block parameters; outside a call there is none', () => {
  const s = sigAt('block B(n, m=2) {\n  input x: [n]\n  output y = x -> Dense(m)\n}\nmodel M {\n  input x: [4]\n  B(4, |)\n}\n')!;
  assert.equal(s.label, 'B(n, m=2)');
  assert.equal(s.activeParameter, 1);
  assert.equal(sigAt('model M {\n  input x: [4]\n  Dense(4)|\n}\n'), null);
});
