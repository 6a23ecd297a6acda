// The runs list under the charts: every recorded run of the model (name, start, device,
// duration, epochs, best metrics, settings), a checkbox to compare it, Rename and Delete
// (the extension asks and confirms), Export (Export Model with the run's weights), Predict
// and Re-run (the model trained again with the run's recorded settings). The
// runs compared get an overlay chart of one metric per epoch (a select picks which) and a
// table of the settings that differ between them.

import uPlot from 'uplot';
import type { FromPanel, RunCurves, RunRecord } from '../../protocol';
import { bestText, deviceText, durationText, overlayData, overlayMetrics, settingsDiff, settingsText } from '../runs';
import { integerIncrements } from '../series';
import { chartColors, themeColor } from './styles';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

/** Colours for the compared runs, from the theme's chart palette. */
function palette(): string[] {
  return [
    themeColor('--vscode-charts-blue', '#3794ff'),
    themeColor('--vscode-charts-orange', '#d18616'),
    themeColor('--vscode-charts-green', '#89d185'),
    themeColor('--vscode-charts-purple', '#b180d7'),
    themeColor('--vscode-charts-red', '#f14c4c'),
    themeColor('--vscode-charts-yellow', '#cca700'),
  ];
}

export class RunsView {
  private readonly root = el('section', undefined, 'ns-runs');
  private readonly body = el('tbody');
  private readonly compare = el('div', undefined, 'ns-compare');
  private readonly metricSelect = el('select');
  private readonly chartBox = el('div', undefined, 'ns-overlay');
  private readonly diffBox = el('div', undefined, 'ns-table-box');
  private runs: RunRecord[] = [];
  private readonly picked = new Set<string>();
  private curves: RunCurves[] = [];
  private metric = '';
  private plot: uPlot | null = null;

  constructor(
    parent: HTMLElement,
    private readonly post: (m: FromPanel) => void,
  ) {
    this.root.setAttribute('aria-label', 'Recorded runs');
    this.root.appendChild(el('h2', 'Runs'));
    const table = el('table', undefined, 'ns-runs-table');
    const head = el('tr');
    for (const h of ['compare', 'name', 'started', 'device', 'duration', 'epochs', 'best', 'settings', '']) head.appendChild(el('th', h));
    table.appendChild(el('thead')).appendChild(head);
    table.appendChild(this.body);
    const box = el('div', undefined, 'ns-table-box');
    box.appendChild(table);
    this.metricSelect.setAttribute('aria-label', 'metric to overlay');
    this.metricSelect.addEventListener('change', () => {
      this.metric = this.metricSelect.value;
      this.drawCompare();
    });
    const label = el('label', 'Overlay: ');
    label.appendChild(this.metricSelect);
    this.compare.append(label, this.chartBox, this.diffBox);
    this.compare.hidden = true;
    this.root.append(box, this.compare);
    this.root.hidden = true;
    parent.appendChild(this.root);
  }

  /** The list of runs changed (a run ended, one was renamed or deleted). */
  setRuns(runs: RunRecord[]): void {
    this.runs = Array.isArray(runs) ? runs : [];
    const ids = new Set(this.runs.map((r) => r.id));
    for (const id of [...this.picked]) if (!ids.has(id)) this.picked.delete(id);
    this.root.hidden = this.runs.length === 0;
    this.drawList();
    this.requestCurves();
  }

  /** The curves of the picked runs arrived. */
  setCurves(curves: RunCurves[]): void {
    this.curves = (Array.isArray(curves) ? curves : []).filter((c) => this.picked.has(c.id));
    this.drawCompare();
  }

  /** Recreates the overlay with the theme's colours. */
  rebuild(): void {
    this.drawCompare();
  }

  private requestCurves(): void {
    if (this.picked.size === 0) {
      this.curves = [];
      this.drawCompare();
      return;
    }
    this.post({ type: 'request-curves', ids: [...this.picked] });
  }

  private drawList(): void {
    this.body.replaceChildren();
    for (const r of this.runs) {
      const tr = el('tr');
      tr.dataset.run = r.id;
      const pick = el('input');
      pick.type = 'checkbox';
      pick.checked = this.picked.has(r.id);
      pick.setAttribute('aria-label', `compare ${r.name}`);
      pick.addEventListener('change', () => {
        if (pick.checked) this.picked.add(r.id);
        else this.picked.delete(r.id);
        this.requestCurves();
      });
      const cell = el('td');
      cell.appendChild(pick);
      tr.appendChild(cell);
      const status = r.status === 'finished' ? '' : ` (${r.status})`;
      tr.append(
        el('td', r.name, 'ns-run-name'),
        el('td', new Date(r.createdAt).toLocaleString()),
        el('td', deviceText(r)),
        el('td', durationText(r)),
        el('td', `${r.epochsDone}/${r.settings.epochs}${status}`),
        el('td', bestText(r)),
        el('td', settingsText(r)),
      );
      const actions = el('td', undefined, 'ns-run-actions');
      for (const [label, type] of [['Rename', 'request-rename-run'], ['Export', 'request-export-run'], ['Predict', 'request-predict-run'], ['Re-run', 'request-rerun-run'], ['Delete', 'request-delete-run']] as const) {
        const b = el('button', label, 'ns-secondary');
        b.type = 'button';
        b.dataset.action = type;
        b.setAttribute('aria-label', `${label} run ${r.name}`);
        b.addEventListener('click', () => this.post({ type, id: r.id }));
        actions.appendChild(b);
      }
      tr.appendChild(actions);
      this.body.appendChild(tr);
    }
  }

  private drawCompare(): void {
    this.plot?.destroy();
    this.plot = null;
    this.compare.hidden = this.curves.length === 0;
    if (this.curves.length === 0) return;
    const metrics = overlayMetrics(this.curves);
    if (!metrics.includes(this.metric)) this.metric = metrics[0] ?? '';
    this.metricSelect.replaceChildren(...metrics.map((m) => Object.assign(el('option', m), { value: m, selected: m === this.metric })));
    const { x, series } = overlayData(this.curves, this.metric);
    const c = chartColors();
    const colors = palette();
    const axis = { stroke: c.text, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 } };
    this.plot = new uPlot(
      {
        width: Math.max(this.chartBox.clientWidth || this.root.clientWidth || 0, 280),
        height: 220,
        scales: { x: { time: false } },
        axes: [{ ...axis, label: 'epoch', incrs: integerIncrements() }, { ...axis, size: 56 }],
        series: [{ label: 'epoch' }, ...this.curves.map((cv, i) => ({ label: cv.name, stroke: colors[i % colors.length], width: 2, spanGaps: true }))],
        legend: { show: true, live: false },
        cursor: { drag: { x: false, y: false } },
      },
      [x, ...series] as uPlot.AlignedData,
      this.chartBox,
    );
    this.chartBox.dataset.runs = String(this.curves.length);
    this.chartBox.dataset.points = String(series.reduce((n, s) => n + s.filter((v) => v !== null).length, 0));
    this.drawDiff();
  }

  private drawDiff(): void {
    const picked = this.curves.map((cv) => this.runs.find((r) => r.id === cv.id)).filter((r): r is RunRecord => !!r);
    const rows = settingsDiff(picked);
    const table = el('table', undefined, 'ns-settings-diff');
    table.appendChild(el('caption', rows.length ? 'Settings that differ' : picked.length > 1 ? 'The runs compared have the same settings' : '', 'ns-muted'));
    if (rows.length) {
      const head = el('tr');
      head.appendChild(el('th', 'setting'));
      for (const r of picked) head.appendChild(el('th', r.name));
      table.appendChild(el('thead')).appendChild(head);
      const body = table.appendChild(el('tbody'));
      for (const row of rows) {
        const tr = el('tr');
        const th = el('th', row.key);
        th.scope = 'row';
        tr.appendChild(th);
        for (const v of row.values) tr.appendChild(el('td', v));
        body.appendChild(tr);
      }
    }
    this.diffBox.replaceChildren(table);
  }
}
