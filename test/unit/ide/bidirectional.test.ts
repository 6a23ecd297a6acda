// The editor around Bidirectional's layer-call argument: completion offers the recurrent
// layers it wraps and then the inner layer's own arguments; hover over the inner call and its
// arguments describes the inner layer, and over the wrapper shows twice the inner parameters.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { complete } from '../../../server/src/ide/completion';
import { hover } from '../../../server/src/ide/hover';
import { check, cursors } from './helpers';

function labelsAt(marked: string): string[] {
  const { text, at } = cursors(marked);
  return complete(check(text), text, at[0]).map((c) => c.label);
}

function hoverAt(marked: string): string {
  const { text, at } = cursors(marked);
  return hover(check(text), text, at[0])?.markdown ?? '';
}

test('completion: the wrappable layers first, then the inner layer\'s own arguments', () => {
  assert.deepEqual(labelsAt('model M {\n  input x: [10, 8]\n  Bidirectional(|)\n}\n'), ['SimpleRNN', 'LSTM', 'GRU', 'layer', 'merge']);
  assert.deepEqual(labelsAt('model M {\n  input x: [10, 8]\n  Bidirectional(GRU(16, |))\n}\n'), ['return_sequences']);
  assert.deepEqual(labelsAt('model M {\n  input x: [10, 8]\n  Bidirectional(LSTM(16), |)\n}\n'), ['merge']);
  assert.deepEqual(labelsAt('model M {\n  input x: [10, 8]\n  Bidirectional(LSTM(16), merge=|)\n}\n'), ['concat', 'sum', 'mul', 'ave']);
});

test('hover: the wrapper counts both directions; the inner call and its arguments are the inner layer\'s', () => {
  const wrapper = hoverAt('model M {\n  input x: [10, 8]\n  Bidi|rectional(LSTM(16, return_sequences=true))\n}\n');
  assert.match(wrapper, /`\[batch, 10, 8\]` → `\[batch, 10, 32\]`/);
  assert.match(wrapper, /Params: \*\*3,200\*\*/);
  assert.match(hoverAt('model M {\n  input x: [10, 8]\n  Bidirectional(LS|TM(16))\n}\n'), /Long short-term memory/);
  assert.match(hoverAt('model M {\n  input x: [10, 8]\n  Bidirectional(LSTM(16, return_seq|uences=true))\n}\n'), /`return_sequences` \(bool, default false\)/);
});
