// Draws a laid-out graph as SVG: expanded groups as framed clusters with a header, edges as
// arrows with their shape labels on a background, nodes as boxes with a name and the call as
// written. Every node and cluster is focusable and has a tooltip (<title>) with its shape,
// costs and diagnostics; colours come from the page's CSS (the editor theme's variables),
// so nothing here names a colour.

import type { GraphNode } from './protocol';
import { nodeDetail, nodeTitle, shapeLabel, type GraphLayout } from './layout';
import { formatBytes, formatCount, formatFlops } from './format';

const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, parent?: Element): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
}

function text(parent: Element, attrs: Record<string, string | number>, content: string): SVGTextElement {
  const t = el('text', attrs, parent);
  t.textContent = content;
  return t;
}

/** The tooltip and the screen reader's description of a node. */
export function describeNode(n: GraphNode): string {
  const lines = [`${n.kind === 'layer' ? n.label : `${n.kind} ${n.label}`} (line ${n.line + 1})`];
  if (n.detail) lines.push(n.detail);
  lines.push(`output ${shapeLabel(n.shape)}`);
  if (n.kind !== 'input' && n.kind !== 'output') {
    lines.push(`params ${formatCount(n.params)}${n.params > n.trainableParams ? ` (${formatCount(n.params - n.trainableParams)} non-trainable)` : ''}`);
    lines.push(`FLOPs ${formatFlops(n.flops)}, activations ${formatBytes(n.activationBytes)} per sample`);
  }
  for (const p of n.problems) lines.push(`${p.severity}: ${p.message}`);
  return lines.join('\n');
}

function problemClass(n: GraphNode): string {
  if (n.problems.some((p) => p.severity === 'error')) return ' has-error';
  if (n.problems.some((p) => p.severity === 'warning')) return ' has-warning';
  return '';
}

/** Problems inside a collapsed group mark the group, so a hidden error stays visible. */
function innerProblemClass(group: GraphNode, all: readonly GraphNode[]): string {
  const inside = (n: GraphNode): boolean => {
    for (let p = n.parent; p !== null; p = all.find((m) => m.id === p)?.parent ?? null) if (p === group.id) return true;
    return false;
  };
  const members = all.filter(inside);
  if (members.some((n) => n.problems.some((p) => p.severity === 'error'))) return ' has-error';
  if (members.some((n) => n.problems.some((p) => p.severity === 'warning'))) return ' has-warning';
  return '';
}

export function renderGraph(layout: GraphLayout, all: readonly GraphNode[], title: string): SVGSVGElement {
  const svg = el('svg', { xmlns: SVG, class: 'model-graph', width: layout.width, height: layout.height, viewBox: `0 0 ${layout.width} ${layout.height}`, role: 'group' });
  svg.setAttribute('aria-label', `Graph of model ${title}`);
  const defs = el('defs', {}, svg);
  const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
  el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }, marker);

  const clusters = el('g', { class: 'clusters' }, svg);
  for (const c of layout.clusters) {
    const g = el('g', { class: `cluster kind-${c.node.kind}${problemClass(c.node)}`, 'data-id': c.node.id, tabindex: 0, role: 'button', 'aria-expanded': 'true' }, clusters);
    g.setAttribute('aria-label', `${describeNode(c.node).replace(/\n/g, '; ')}. Enter: go to line; Space: collapse`);
    el('title', {}, g).textContent = describeNode(c.node);
    el('rect', { class: 'frame', x: c.box.x, y: c.box.y, width: c.box.width, height: c.box.height, rx: 6 }, g);
  }

  const edges = el('g', { class: 'edges' }, svg);
  for (const e of layout.edges) {
    const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
    el('path', { class: 'edge', d, 'marker-end': 'url(#arrow)', 'data-from': e.from, 'data-to': e.to }, edges);
  }

  // Group headers go over the edges (an edge entering a group from above may cross its
  // header row), on a background so they stay readable.
  const headers = el('g', { class: 'cluster-headers' }, svg);
  for (const c of layout.clusters) {
    const g = el('g', { class: 'cluster-header', 'data-id': c.node.id }, headers);
    const h = c.header;
    el('rect', { class: 'label-bg', x: h.x, y: h.y + 1, width: h.width, height: h.height - 2, rx: 3 }, g);
    text(g, { class: 'cluster-title', x: h.x + 6, y: h.y + h.height - 6 }, c.headerText);
  }

  const nodes = el('g', { class: 'nodes' }, svg);
  for (const n of layout.nodes) {
    const { box } = n;
    const cls = `node kind-${n.node.kind}${n.group ? ' group' : ''}${problemClass(n.node) || (n.group ? innerProblemClass(n.node, all) : '')}`;
    const g = el('g', { class: cls, 'data-id': n.node.id, transform: `translate(${box.x}, ${box.y})`, tabindex: 0, role: 'button' }, nodes);
    if (n.group) g.setAttribute('aria-expanded', 'false');
    g.setAttribute('aria-label', `${describeNode(n.node).replace(/\n/g, '; ')}. Enter: go to line${n.group ? '; Space: expand' : ''}`);
    el('title', {}, g).textContent = describeNode(n.node);
    el('rect', { class: 'box', width: box.width, height: box.height, rx: n.node.kind === 'input' || n.node.kind === 'output' ? box.height / 2 : 4 }, g);
    text(g, { class: 'title', x: box.width / 2, y: 16, 'text-anchor': 'middle' }, nodeTitle(n.node, n.collapsed));
    text(g, { class: 'detail', x: box.width / 2, y: 31, 'text-anchor': 'middle' }, nodeDetail(n.node));
  }

  // Labels last, so an edge passing behind a node never hides one.
  const labels = el('g', { class: 'edge-labels' }, svg);
  for (const e of layout.edges) {
    const g = el('g', { class: 'edge-label', 'data-from': e.from, 'data-to': e.to }, labels);
    const b = e.labelBox;
    el('rect', { class: 'label-bg', x: b.x, y: b.y, width: b.width, height: b.height, rx: 3 }, g);
    text(g, { class: 'label', x: b.x + b.width / 2, y: b.y + b.height - 4, 'text-anchor': 'middle' }, e.label);
  }
  return svg;
}
