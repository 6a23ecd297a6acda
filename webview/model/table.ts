// The Keras-style summary under the graph: one row per input, layer and group (group members
// indented under it), with output shape, parameters, FLOPs and activation memory per sample,
// and the totals below. Each row is a link to its line: a click or Enter reveals it.

import type { GraphNode, ModelGraph } from './protocol';
import { shapeLabel } from './layout';
import { formatBytes, formatCount, formatFlops } from './format';

export interface Totals {
  params: number;
  trainable: number;
  nonTrainable: number;
  flops: number | null;
  /** Sum over inputs and layers (groups and outputs would count a tensor twice). */
  activationBytes: number | null;
}

export function totals(g: ModelGraph): Totals {
  let act: number | null = 0;
  for (const n of g.nodes) {
    if (n.kind !== 'input' && n.kind !== 'layer') continue;
    act = act === null || n.activationBytes === null ? null : act + n.activationBytes;
  }
  return { params: g.params, trainable: g.trainableParams, nonTrainable: g.params - g.trainableParams, flops: g.flops, activationBytes: act };
}

function depth(n: GraphNode, byId: Map<string, GraphNode>): number {
  let d = 0;
  for (let p = n.parent; p !== null; p = byId.get(p)?.parent ?? null) d++;
  return d;
}

function cell(row: HTMLTableRowElement, content: string, cls?: string): HTMLTableCellElement {
  const td = row.insertCell();
  td.textContent = content;
  if (cls) td.className = cls;
  return td;
}

export function renderTable(g: ModelGraph, reveal: (n: GraphNode) => void): HTMLElement {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const wrap = document.createElement('div');
  wrap.className = 'summary';
  const table = document.createElement('table');
  table.setAttribute('aria-label', `Summary of model ${g.name}`);
  const head = table.createTHead().insertRow();
  for (const [h, cls] of [['Layer', ''], ['Type', ''], ['Output shape', ''], ['Params', 'num'], ['FLOPs', 'num'], ['Activations', 'num'], ['Line', 'num']]) {
    const th = document.createElement('th');
    th.textContent = h;
    th.scope = 'col';
    if (cls) th.className = cls;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const n of g.nodes) {
    if (n.kind === 'output') continue;
    const row = body.insertRow();
    row.dataset.id = n.id;
    if (n.problems.some((p) => p.severity === 'error')) row.classList.add('has-error');
    const name = cell(row, n.id.slice(n.id.lastIndexOf('/') + 1));
    name.style.paddingLeft = `${0.5 + depth(n, byId) * 1.2}em`;
    cell(row, n.kind === 'layer' ? n.label : n.kind === 'input' ? 'Input' : n.kind === 'repeat' ? n.label : `${n.label} (block)`);
    cell(row, shapeLabel(n.shape), 'shape');
    cell(row, n.kind === 'input' ? '0' : formatCount(n.params), 'num');
    cell(row, n.kind === 'input' ? '0' : formatFlops(n.flops), 'num');
    cell(row, formatBytes(n.activationBytes), 'num');
    const link = document.createElement('a');
    link.href = '#';
    link.textContent = String(n.line + 1);
    link.setAttribute('aria-label', `go to line ${n.line + 1} (${n.label})`);
    link.addEventListener('click', (e) => {
      e.preventDefault();
      reveal(n);
    });
    const lineCell = row.insertCell();
    lineCell.className = 'num';
    lineCell.appendChild(link);
    if (n.problems.length > 0) row.title = n.problems.map((p) => `${p.severity}: ${p.message}`).join('\n');
    row.addEventListener('click', (e) => {
      if (e.target !== link) reveal(n);
    });
  }
  wrap.appendChild(table);
  const t = totals(g);
  const foot = document.createElement('dl');
  foot.className = 'totals';
  const items: [string, string][] = [
    ['Total params', formatCount(t.params)],
    ['Trainable params', formatCount(t.trainable)],
    ['Non-trainable params', formatCount(t.nonTrainable)],
    ['FLOPs per sample', formatFlops(t.flops)],
    ['Activation memory per sample', formatBytes(t.activationBytes)],
  ];
  for (const [k, v] of items) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    foot.append(dt, dd);
  }
  wrap.appendChild(foot);
  return wrap;
}
