// Every IDE feature on every prefix of a realistic file (the states a file passes through
// while typed): nothing throws, and every span returned lies inside the text.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeActions } from '../../../server/src/ide/code_actions';
import { codeLenses } from '../../../server/src/ide/code_lens';
import { complete } from '../../../server/src/ide/completion';
import { foldingRanges } from '../../../server/src/ide/folding';
import { hover } from '../../../server/src/ide/hover';
import { inlayHints } from '../../../server/src/ide/inlay_hints';
import { definition, references, rename } from '../../../server/src/ide/navigation';
import { semanticTokens } from '../../../server/src/ide/semantic_tokens';
import { signatureHelp } from '../../../server/src/ide/signature_help';
import { documentSymbols } from '../../../server/src/ide/symbols';
import { modelIR, modelsJson } from '../../../server/src/ide/summary';
import { modelGraphs } from '../../../server/src/ide/model_graph';
import { MNIST, WITH_BLOCK, check } from './helpers';

function inside(text: string, span: { start: number; end: number }, what: string): void {
  assert.ok(span.start >= 0 && span.start <= span.end && span.end <= text.length, `${what} ${JSON.stringify(span)} in ${text.length}`);
}

test('features survive every prefix of a file being typed', () => {
  const full = WITH_BLOCK + MNIST;
  for (let cut = 0; cut <= full.length; cut += 3) {
    const text = full.slice(0, cut);
    const c = check(text);
    for (const at of [0, cut >> 1, Math.max(0, cut - 1), cut]) {
      const h = hover(c, text, at);
      if (h) inside(text, h.span, 'hover');
      for (const item of complete(c, text, at)) assert.ok(item.label.length > 0);
      signatureHelp(c, text, at);
      const d = definition(c, at);
      if (d) inside(text, d, 'definition');
      for (const r of references(c, at, true)) inside(text, r, 'reference');
      const rn = rename(c, at, 'renamed');
      if ('edits' in rn) for (const e of rn.edits) inside(text, e.span, 'rename');
    }
    for (const hint of inlayHints(c, text)) assert.ok(hint.offset >= 0 && hint.offset <= text.length);
    for (const s of documentSymbols(c, text)) inside(text, s.span, 'symbol');
    for (const f of foldingRanges(c, text)) assert.ok(f.start <= f.end);
    for (const t of semanticTokens(c)) inside(text, { start: t.start, end: t.start + t.length }, 'token');
    for (const a of codeActions(c, text, { start: 0, end: text.length })) for (const e of a.edits) inside(text, e.span, 'fix');
    for (const l of codeLenses(c, 'file:///x.netspec')) inside(text, l.span, 'lens');
    modelsJson(c);
    modelIR(c);
    for (const g of modelGraphs(c, text)) {
      const ids = new Set(g.nodes.map((n) => n.id));
      assert.equal(ids.size, g.nodes.length, 'node ids are unique');
      for (const n of g.nodes) inside(text, n.span, 'graph node');
      for (const e of g.edges) assert.ok(ids.has(e.from) && ids.has(e.to), `edge ${e.from}→${e.to} joins nodes of the graph`);
    }
  }
});
