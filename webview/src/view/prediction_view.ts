// Predict on a file in the DOM: the "Predict on a file…" button once a run has weights,
// then what the extension says: "Predicting on X…", the error, or the results — a summary
// line (metrics, samples), the first rows in a table that scrolls inside its box (wrong
// predictions marked), and for a labelled file each classifier's confusion matrix and
// per-class scores, drawn as the after-training report draws them.

import type { FromPanel, RunSnapshot } from '../../protocol';
import { predictionSummary, predictionTable, predictRequest, shownPrediction, type PredictionState } from '../prediction';
import { confusionTable, scoresTable, scrollBox } from './report_view';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

export class PredictionView {
  private readonly section = el('section', undefined, 'ns-prediction');
  private readonly button = el('button', 'Predict on a file…', 'ns-secondary');
  private readonly body = el('div');
  private request: FromPanel | null = null;
  private drawn: PredictionState | undefined = undefined;

  constructor(parent: HTMLElement, post: (m: FromPanel) => void) {
    this.section.setAttribute('aria-label', 'predictions on a data file');
    this.button.type = 'button';
    this.button.dataset.action = 'predict';
    this.button.title = 'Run the trained model on a data file (.csv, .json, .npy, IDX); a file with the targets also gets metrics and a confusion matrix';
    this.button.addEventListener('click', () => this.request && post(this.request));
    this.body.setAttribute('aria-live', 'polite');
    this.section.append(this.button, this.body);
    parent.appendChild(this.section);
  }

  /** Shows the button for a run with weights, and the prediction that goes with it (shownPrediction). */
  update(snapshot: RunSnapshot | null | undefined, prediction: PredictionState): void {
    this.request = predictRequest(snapshot);
    const own = shownPrediction(snapshot, prediction);
    this.section.hidden = this.request === null && own === null;
    this.button.hidden = this.request === null;
    this.button.disabled = own?.state === 'running';
    if (own === this.drawn) return;
    this.drawn = own;
    this.body.replaceChildren();
    if (!own) return;
    this.section.dataset.state = own.state;
    if (own.state === 'running') {
      this.body.appendChild(el('p', `Predicting on ${own.data}${own.runName !== undefined ? ` with run ${own.runName}` : ''}…`, 'ns-muted'));
      return;
    }
    if (own.state === 'failed') {
      const p = el('p', `The prediction failed: ${own.message}`, 'ns-error');
      p.setAttribute('role', 'alert');
      this.body.appendChild(p);
      return;
    }
    const r = own.report;
    this.body.appendChild(el('h2', `Predictions on ${r.data}${own.runName !== undefined ? ` with run ${own.runName}` : ''}`));
    this.body.appendChild(el('p', predictionSummary(r), 'ns-prediction-summary'));
    const t = predictionTable(r);
    const table = el('table', undefined, 'ns-prediction-rows');
    table.appendChild(el('caption', `The first ${r.rows.length} predictions on ${r.data}`, 'ns-muted'));
    const head = el('tr');
    for (const c of t.columns) {
      const th = el('th', c);
      th.scope = 'col';
      head.appendChild(th);
    }
    table.appendChild(el('thead')).appendChild(head);
    const body = table.appendChild(el('tbody'));
    for (const row of t.rows) {
      const tr = el('tr', undefined, row.wrong ? 'ns-wrong' : undefined);
      for (const c of row.cells) tr.appendChild(el('td', c));
      body.appendChild(tr);
    }
    this.body.appendChild(scrollBox(table));
    for (const c of r.classes) {
      this.body.appendChild(scrollBox(confusionTable(c)));
      this.body.appendChild(scrollBox(scoresTable(c)));
    }
  }
}
