// The model view's layout without a browser (text widths from a fixed-width stand-in): edges
// into and out of a folded group are lifted to it and merged, expanded groups reserve a
// header row, and nothing overlaps on nested blocks, repeats and several inputs and outputs.
// The drawing itself is checked in Chromium (test/browser/model_view.test.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkText } from '../../../server/src/sema/check';
import { modelGraphs } from '../../../server/src/ide/model_graph';
import { layoutGraph, overlaps, visibleStandIns, type Box, type GraphLayout } from '../../../webview/model/layout';
import { renderModelViewHtml } from '../../../webview/model/html';

const measure = (text: string) => text.length * 7;

const NESTED = `block Res(d) {
  input x: [t, d]
  h = x -> Dense(d, activation=relu) -> Dense(d)
  output y = (x, h) -> Add() -> LayerNorm()
}
block Stack(d) {
  input x: [t, d]
  Res(d)
  Res(d)
}
block Trunk(d) {
  input x: [t, d]
  Dense(d)
  repeat 2 {
    Stack(d)
  }
}
model Deep {
  input a: [10, 8]
  input b: [10, 8]
  c = (a, b) -> Concat()
  h = c -> Trunk(16)
  output logits = h -> GlobalAvgPool1D() -> Dense(3)
  output aux = c -> GlobalAvgPool1D() -> Dense(1)
}
`;

function graphOf(text: string) {
  return modelGraphs(checkText(text, { path: '/tmp/netspec-layout-test/m.netspec' }), text)[0];
}

/** Every box that must not share area with another: nodes, edge labels, group headers. */
function boxes(l: GraphLayout): [string, Box][] {
  return [...l.nodes.map((n): [string, Box] => [n.node.id, n.box]), ...l.edges.map((e): [string, Box] => [`label ${e.from}→${e.to}`, e.labelBox]), ...l.clusters.map((c): [string, Box] => [`header ${c.node.id}`, c.header])];
}

function assertNoOverlap(l: GraphLayout): void {
  const all = boxes(l);
  for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) assert.ok(!overlaps(all[i][1], all[j][1]), `${all[i][0]} overlaps ${all[j][0]}`);
}

test('expanded: every group is a cluster around its members with its header inside, nothing overlaps', () => {
  const g = graphOf(NESTED);
  const l = layoutGraph(g, new Set(), measure);
  assert.deepEqual(l.clusters.map((c) => c.node.id).sort(), ['trunk', 'trunk/repeat', 'trunk/repeat/stack', 'trunk/repeat/stack/res', 'trunk/repeat/stack/res_1']);
  assertNoOverlap(l);
  const within = (a: Box, b: Box) => a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
  for (const c of l.clusters) {
    assert.ok(within(c.header, c.box), `${c.node.id}'s header is inside it`);
    for (const n of l.nodes.filter((n) => n.node.id.startsWith(`${c.node.id}/`))) {
      assert.ok(within(n.box, c.box), `${n.node.id} is inside ${c.node.id}`);
      assert.ok(n.box.y >= c.header.y + c.header.height, `${n.node.id} is below ${c.node.id}'s header`);
    }
  }
  assert.ok(l.width > 0 && l.height > 0);
  for (const n of l.nodes) assert.ok(n.box.x >= 0 && n.box.y >= 0 && n.box.x + n.box.width <= l.width && n.box.y + n.box.height <= l.height);
});

test('folded: a group stands for everything inside it, edges are lifted to it and merged', () => {
  const g = graphOf(NESTED);
  const stand = visibleStandIns(g, new Set(['trunk/repeat/stack', 'trunk']));
  assert.equal(stand.get('trunk/repeat/stack/res_1/add'), 'trunk', 'the outermost folded group stands for it');
  assert.equal(stand.get('concat'), 'concat');
  const top = layoutGraph(g, new Set(['trunk']), measure);
  assert.deepEqual(top.clusters, []);
  assert.ok(top.nodes.some((n) => n.node.id === 'trunk' && n.group && n.collapsed));
  assert.deepEqual(top.edges.filter((e) => e.to === 'trunk').map((e) => [e.from, e.label]), [['concat', '[batch, 10, 16]']]);
  assert.deepEqual(top.edges.filter((e) => e.from === 'trunk').map((e) => e.to), ['global_avg_pool1d']);
  assertNoOverlap(top);
  // A folded Res: its Dense and its skip Add both read the Trunk's Dense, drawn as one arrow.
  const l = layoutGraph(g, new Set(['trunk/repeat/stack/res']), measure);
  assert.deepEqual(l.edges.filter((e) => e.to === 'trunk/repeat/stack/res').map((e) => e.from), ['trunk/dense']);
  assert.ok(l.clusters.some((c) => c.node.id === 'trunk/repeat/stack'));
  assert.ok(l.edges.every((e) => e.from !== e.to));
  assertNoOverlap(l);
});

test('the transformer example lays out without overlaps, expanded or folded', () => {
  const text = readFileSync('examples/mnist/mnist_transformer.netspec', 'utf8');
  const g = graphOf(text);
  for (const folded of [new Set<string>(), new Set(['encoder'])]) {
    const l = layoutGraph(g, folded, measure);
    assert.equal(l.edges.length, folded.size ? 6 : 14);
    assert.ok(l.edges.every((e) => e.label.startsWith('[batch, ') && e.points.length >= 2));
    assertNoOverlap(l);
  }
});

test('the page allows only its nonce script, inline styles and data/blob images', () => {
  const html = renderModelViewHtml({ cspSource: "https://x.vscode-cdn.net 'unsafe-eval'", nonce: 'abc"<', scriptUri: 'https://x/dist/model_view.js' });
  assert.match(html, /script-src 'nonce-abc'/);
  assert.doesNotMatch(html, /unsafe-eval/);
  assert.match(html, /img-src https:\/\/x\.vscode-cdn\.net data: blob:/);
  assert.match(html, /<script nonce="abc" src="https:\/\/x\/dist\/model_view.js"><\/script>/);
});
