// The after-training report in the DOM: for each classifier output a confusion matrix (an
// HTML table whose cells are tinted by their share of the row, with the theme's chart
// colour) and a precision / recall / f1 table per class; then sample predictions, as small
// canvases for image inputs and as table rows otherwise.

import type { ClassReport, SamplePrediction } from '../../protocol';
import { confusionCells, percent } from '../report';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

export function confusionTable(r: ClassReport): HTMLTableElement {
  const table = el('table');
  table.className = 'ns-confusion';
  table.dataset.output = r.output;
  table.appendChild(el('caption', `Confusion matrix of ${r.output}: rows are the actual class, columns the predicted one`, 'ns-muted'));
  const head = el('tr');
  head.appendChild(el('th', 'actual \\ predicted'));
  for (const l of r.labels) {
    const th = el('th', l);
    th.scope = 'col';
    head.appendChild(th);
  }
  table.appendChild(el('thead')).appendChild(head);
  const body = table.appendChild(el('tbody'));
  confusionCells(r.confusion).forEach((row, i) => {
    const tr = el('tr');
    const th = el('th', r.labels[i]);
    th.scope = 'row';
    tr.appendChild(th);
    for (const cell of row) {
      const td = el('td', String(cell.count), 'ns-cell');
      td.dataset.diagonal = String(cell.diagonal);
      const pct = Math.round(cell.intensity * 85);
      const colour = cell.diagonal ? 'var(--vscode-charts-blue, #3794ff)' : 'var(--vscode-charts-red, #f14c4c)';
      if (cell.count > 0) td.style.background = `color-mix(in srgb, ${colour} ${pct}%, transparent)`;
      tr.appendChild(td);
    }
    body.appendChild(tr);
  });
  return table;
}

export function scoresTable(r: ClassReport): HTMLTableElement {
  const table = el('table');
  table.className = 'ns-scores';
  table.dataset.output = r.output;
  table.appendChild(el('caption', `Per-class scores of ${r.output}`, 'ns-muted'));
  const head = el('tr');
  for (const h of ['class', 'precision', 'recall', 'f1', 'support']) {
    const th = el('th', h);
    th.scope = 'col';
    head.appendChild(th);
  }
  table.appendChild(el('thead')).appendChild(head);
  const body = table.appendChild(el('tbody'));
  r.labels.forEach((label, k) => {
    const tr = el('tr');
    const th = el('th', label);
    th.scope = 'row';
    tr.appendChild(th);
    const support = r.confusion[k].reduce((a, b) => a + b, 0);
    for (const v of [percent(r.precision[k]), percent(r.recall[k]), percent(r.f1[k]), String(support)]) tr.appendChild(el('td', v));
    body.appendChild(tr);
  });
  return table;
}

/** Draws an [H, W, C] image in [0, 1] to a canvas of its own size (CSS scales it up). */
function imageCanvas(image: NonNullable<SamplePrediction['image']>): HTMLCanvasElement {
  const canvas = el('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  const img = ctx.createImageData(image.width, image.height);
  const c = image.channels;
  for (let p = 0; p < image.width * image.height; p++) {
    const at = (i: number) => Math.round((image.pixels[p * c + Math.min(i, c - 1)] ?? 0) * 255);
    img.data[p * 4] = at(0);
    img.data[p * 4 + 1] = c >= 3 ? at(1) : at(0);
    img.data[p * 4 + 2] = c >= 3 ? at(2) : at(0);
    img.data[p * 4 + 3] = c === 4 ? at(3) : 255;
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
}

function samplesView(samples: SamplePrediction[]): HTMLElement {
  if (samples.some((s) => s.image)) {
    const grid = el('div', undefined, 'ns-samples');
    for (const s of samples) {
      const fig = el('figure', undefined, 'ns-sample');
      const canvas = imageCanvas(s.image ?? { width: 1, height: 1, channels: 1, pixels: [0] });
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `sample ${s.index}: actual ${s.actual}, predicted ${s.predicted}`);
      fig.appendChild(canvas);
      fig.appendChild(el('figcaption', `${s.predicted} ${s.correct ? '✓' : `✗ (${s.actual})`}`, s.correct ? 'ns-right' : 'ns-wrong'));
      grid.appendChild(fig);
    }
    return grid;
  }
  const table = el('table');
  table.className = 'ns-sample-rows';
  const head = el('tr');
  for (const h of ['sample', 'actual', 'predicted', '']) head.appendChild(el('th', h));
  table.appendChild(el('thead')).appendChild(head);
  const body = table.appendChild(el('tbody'));
  for (const s of samples) {
    const tr = el('tr');
    for (const v of [String(s.index), s.actual, s.predicted]) tr.appendChild(el('td', v));
    tr.appendChild(el('td', s.correct ? '✓' : '✗', s.correct ? 'ns-right' : 'ns-wrong'));
    body.appendChild(tr);
  }
  return table;
}

/** A table in a box that scrolls sideways, so a wide matrix stays inside a narrow panel. */
export function scrollBox(table: HTMLElement): HTMLElement {
  const box = el('div', undefined, 'ns-table-box');
  box.tabIndex = 0;
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', table.querySelector('caption')?.textContent ?? 'table');
  box.appendChild(table);
  return box;
}

/** Replaces `parent`'s content with the report (nothing when there is none). */
export function renderReport(parent: HTMLElement, classes: ClassReport[] | undefined, samples: SamplePrediction[] | undefined): void {
  parent.replaceChildren();
  for (const r of classes ?? []) {
    parent.appendChild(el('h2', classes!.length > 1 ? `Classes of ${r.output}` : 'Classes'));
    parent.appendChild(scrollBox(confusionTable(r)));
    parent.appendChild(scrollBox(scoresTable(r)));
  }
  if (samples && samples.length > 0) {
    parent.appendChild(el('h2', 'Sample predictions'));
    parent.appendChild(samplesView(samples));
  }
}
