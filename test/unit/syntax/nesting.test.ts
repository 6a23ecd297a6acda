// Nesting is bounded: 100,000 nested brackets, calls, dictionaries or repeat bodies give one
// syntax diagnostic at the first opener past the limit, the rest of the file is still parsed
// and checked (spec §6: a syntax error never hides the diagnostics of the rest of the file),
// and no later pass over the tree (checker, incremental checker, formatter, folding,
// semantic tokens, outline, hover, inlay hints, tree dump) overflows the stack on it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/sema/check';
import { IncrementalChecker } from '../../../server/src/sema/incremental/incremental';
import { MAX_NESTING } from '../../../server/src/syntax/cursor';
import { parse } from '../../../server/src/syntax/parser';
import { dumpTree } from '../../../server/src/syntax/tree_dump';
import { formatText } from '../../../server/src/ide/format';
import { foldingRanges } from '../../../server/src/ide/folding';
import { semanticTokens } from '../../../server/src/ide/semantic_tokens';
import { documentSymbols } from '../../../server/src/ide/symbols';
import { hover } from '../../../server/src/ide/hover';
import { inlayHints } from '../../../server/src/ide/inlay_hints';
import { complete } from '../../../server/src/ide/completion';
import { signatureHelp } from '../../../server/src/ide/signature_help';

/** The case (100,000 brackets) in full; the other kinds of nesting at a fifth of it. */
const N = 100_000;

/** A second model with its own mistake, after the deep one: its diagnostic must survive. */
const TAIL = 'model Other {\n  input y: [4]\n  Dens(3)\n}\n';

/**
 * Each case: the text before the nesting, one level of it (`bracket` is where its opener
 * sits in it), what closes a level, the text after it, how many levels the head already
 * opened, and how many levels there are.
 */
const CASES: Record<string, { head: string; open: string; bracket: number; close: string; inner: string; foot: string; outer: number; n: number }> = {
  tuples: { head: 'model A {\n  input x: [4]\n  Dense(', open: '(', bracket: 0, close: ')', inner: '', foot: ')\n}\n', outer: 1, n: N },
  lists: { head: 'model A {\n  input x: [', open: '[', bracket: 0, close: ']', inner: '', foot: ']\n}\n', outer: 1, n: N / 5 },
  calls: { head: 'model A {\n  input x: [4]\n  ', open: 'F(', bracket: 1, close: ')', inner: '', foot: '\n}\n', outer: 0, n: N / 5 },
  dictionaries: { head: 'train A {\n  loss = ', open: '{a: ', bracket: 0, close: '}', inner: '1', foot: '\n}\n', outer: 0, n: N / 5 },
  repeats: { head: 'model A {\n  input x: [4]\n', open: 'repeat 1 {\n', bracket: 9, close: '}\n', inner: 'Dense(4)\n', foot: '}\n', outer: 0, n: N / 5 },
  unclosed: { head: '', open: '(', bracket: 0, close: '', inner: '', foot: '\n', outer: 0, n: N },
};

for (const [name, c] of Object.entries(CASES)) {
  test(`${c.n.toLocaleString('en')} nested ${name}: one syntax diagnostic at the first too-deep opener, the rest still checked`, () => {
    const deep = c.open.repeat(c.n) + c.inner + c.close.repeat(c.n);
    const text = c.head + deep + c.foot + TAIL;
    const parsed = parse(text);
    assert.ok(!parsed.diagnostics.some((d) => d.message.includes('internal parser error')), 'no internal error');
    const checked = checkText(text);
    // The other model's mistake is reported where it is.
    const other = text.indexOf('Dens(3)');
    assert.ok(
      checked.diagnostics.some((d) => d.code === 'unknown-layer' && d.span.start === other),
      `the rest of the file is checked: ${checked.diagnostics.map((d) => d.message).join('; ')}`,
    );
    if (name !== 'unclosed') {
      const limit = checked.diagnostics.filter((d) => d.message.includes('nest more than'));
      assert.equal(limit.length, 1, 'the nesting is reported once');
      // The first opener past the limit: MAX_NESTING levels are open around it.
      assert.equal(limit[0].span.start, c.head.length + (MAX_NESTING - c.outer) * c.open.length + c.bracket);
      assert.equal(limit[0].code, 'syntax');
    }
    // The incremental checker agrees, and every later pass over the tree finishes.
    const inc = new IncrementalChecker().update(text);
    assert.deepEqual(JSON.parse(JSON.stringify(inc.diagnostics)), JSON.parse(JSON.stringify(checked.diagnostics)));
    const at = c.head.length + 10;
    assert.doesNotThrow(() => {
      dumpTree(parsed.file, text);
      formatText(text, { tabSize: 2, insertSpaces: true });
      foldingRanges(checked, text);
      semanticTokens(checked);
      documentSymbols(checked, text);
      hover(checked, text, at);
      inlayHints(checked, text);
      complete(checked, text, at);
      signatureHelp(checked, text, at);
    });
  });
}

test('nesting up to the limit parses without a nesting diagnostic', () => {
  const depth = MAX_NESTING - 2;
  const text = `model A {\n  input x: [4]\n  Dense(4, activation=${'('.repeat(depth)}relu${')'.repeat(depth)})\n}\n`;
  const checked = checkText(text);
  assert.ok(!checked.diagnostics.some((d) => d.message.includes('nest more than')), checked.diagnostics.map((d) => d.message).join('; '));
});
