// The top of the panel: the model's name and the run's status, where it trains (backend and
// adapter, or why WebGPU was not used), the progress bar with epoch, step, ETA and samples
// per second, the memory in use while it trains, the Pause/Resume and Stop buttons, the Export button once a run has ended
// with weights, and an error box. Built once, then updated
// in place from the panel state so focus stays on a button while a run goes on.

import type { BackendInfo, FromPanel, MemoryUsage, RunSnapshot } from '../../protocol';
import type { PanelState } from '../state';
import { elapsedOf, etaOf, finalMetricsLine, stepsDone } from '../state';
import { formatDuration, formatRate, progressFraction } from '../series';
import { formatBytes } from '../../model/format';

export interface HeaderActions {
  stop(): void;
  togglePause(): void;
  /** The Export button: asks the extension to export the run's model and weights. */
  exportRun(): void;
  /** The Change… button beside the device: asks the extension to pick another `netspec.backend`. */
  switchBackend(): void;
  /** Train again: the same model, its train block as it is now. */
  trainAgain(): void;
}

/** The device line: what trains, and where when the message says (older snapshots do not). */
export function backendText(b: BackendInfo): string {
  const where = b.place === 'host' ? ' · in the extension host' : b.place === 'panel' ? ' · in the panel' : '';
  if (b.name === 'webgpu') return `WebGPU · ${b.detail}${where}`;
  return b.fallbackReason && b.place !== 'host' ? `CPU · WebGPU not used: ${b.fallbackReason}${where}` : `${b.detail}${where}`;
}

/** "memory: tensors 1.2 MiB · GPU buffers 3.0 MiB · process 180 MiB" (the process only where known). */
export function memoryText(m: MemoryUsage): string {
  const parts = [`tensors ${formatBytes(m.tensorBytes)}`, `${m.gpu ? 'GPU buffers' : 'backend arrays'} ${formatBytes(m.backendBytes)}`];
  if (m.rssBytes !== undefined) parts.push(`process ${formatBytes(m.rssBytes)}`);
  return `memory: ${parts.join(' · ')}`;
}

/**
 * The message the Export button sends for the run shown, or null while there is nothing to
 * export: a run that is still going, failed, or ended before its first epoch (no weights).
 */
export function exportRequest(snapshot: RunSnapshot | null | undefined): (FromPanel & { type: 'request-export' }) | null {
  if (!snapshot) return null;
  if (snapshot.status !== 'finished' && snapshot.status !== 'stopped') return null;
  if (snapshot.epochs.length === 0) return null;
  return { type: 'request-export', runId: snapshot.runId };
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  return e;
}

export class Header {
  private readonly title = el('h1');
  private readonly status = el('span', 'ns-status');
  private readonly backend = el('span', 'ns-backend ns-muted');
  private readonly why = el('div', 'ns-backend-why ns-muted');
  private readonly switchButton = el('button', 'ns-link');
  private readonly bar = el('progress');
  private readonly progressText = el('span', 'ns-progress-text');
  private readonly pause = el('button', 'ns-secondary');
  private readonly stop = el('button');
  private readonly exportButton = el('button', 'ns-secondary');
  private readonly error = el('div', 'ns-error');
  private readonly facts = el('div', 'ns-facts ns-muted');
  private readonly memory = el('div', 'ns-memory ns-muted');
  private readonly final = el('div', 'ns-final');
  private readonly againButton = el('button', 'ns-secondary');

  constructor(parent: HTMLElement, actions: HeaderActions) {
    const top = el('header', 'ns-header');
    top.append(this.title, this.status);
    this.status.setAttribute('role', 'status');
    this.bar.max = 1;
    this.bar.value = 0;
    this.bar.setAttribute('aria-label', 'training progress');
    this.pause.type = 'button';
    this.pause.dataset.action = 'pause';
    this.pause.addEventListener('click', () => actions.togglePause());
    this.stop.type = 'button';
    this.stop.dataset.action = 'stop';
    this.stop.textContent = 'Stop';
    this.stop.setAttribute('aria-label', 'Stop training after the current step');
    this.stop.addEventListener('click', () => actions.stop());
    this.exportButton.type = 'button';
    this.exportButton.dataset.action = 'export';
    this.exportButton.textContent = 'Export…';
    this.exportButton.title = 'Export the trained model (ONNX, PyTorch, TensorFlow.js, Keras)';
    this.exportButton.setAttribute('aria-label', 'Export the trained model to another framework');
    this.exportButton.hidden = true;
    this.exportButton.addEventListener('click', () => actions.exportRun());
    this.switchButton.type = 'button';
    this.switchButton.dataset.action = 'switch-backend';
    this.switchButton.textContent = 'Change…';
    this.switchButton.title = 'Choose where models train (the netspec.backend setting)';
    this.switchButton.addEventListener('click', () => actions.switchBackend());
    const device = el('div', 'ns-device');
    device.append(this.backend, this.switchButton);
    this.againButton.type = 'button';
    this.againButton.dataset.action = 'train-again';
    this.againButton.textContent = 'Train again';
    this.againButton.setAttribute('aria-label', 'Train this model again (a new run; this one stays in the runs list)');
    this.againButton.hidden = true;
    this.againButton.addEventListener('click', () => actions.trainAgain());
    const buttons = el('div', 'ns-buttons');
    buttons.append(this.pause, this.stop, this.againButton, this.exportButton);
    const row = el('div', 'ns-progress-row');
    row.append(this.bar, this.progressText, buttons);
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    this.final.setAttribute('aria-label', 'final metrics');
    this.memory.setAttribute('aria-label', 'memory in use');
    parent.append(top, device, this.why, this.facts, row, this.memory, this.final, this.error);
  }

  update(state: PanelState, now: number): void {
    const s = state.snapshot;
    this.title.textContent = s ? s.model : 'Netspec training';
    this.status.textContent = s ? s.status : 'idle';
    this.status.dataset.status = s?.status ?? 'idle';
    const b = s?.backend;
    this.backend.textContent = !s ? 'Run “Train” on a train block to start.' : !b ? 'Starting…' : backendText(b);
    this.backend.dataset.place = b?.place ?? '';
    this.why.textContent = b?.why ?? '';
    this.why.hidden = !b?.why;
    this.switchButton.hidden = !b;
    this.backend.dataset.backend = b?.name ?? '';
    this.backend.dataset.fallback = String(!!b?.fallbackReason);

    const { done, total } = stepsDone(state);
    this.bar.value = s?.status === 'finished' ? 1 : progressFraction(done, total);
    const e = state.lastStep;
    const parts: string[] = [];
    if (s && state.totalEpochs > 0) {
      const epoch = e?.epoch ?? s.epochs.length;
      parts.push(`epoch ${epoch}/${state.totalEpochs}`);
      if (e && s.status !== 'finished') parts.push(`step ${e.step}/${e.stepsPerEpoch}`);
      const eta = etaOf(state, now);
      if (eta !== null) parts.push(`ETA ${formatDuration(eta)}`);
      const rate = s.epochs.at(-1)?.samplesPerSecond ?? e?.samplesPerSecond;
      if (rate !== undefined) parts.push(`${formatRate(rate)} samples/s`);
    }
    this.progressText.textContent = parts.join(' · ');
    this.bar.setAttribute('aria-valuetext', this.progressText.textContent || 'not started');

    const live = s?.status === 'running' || s?.status === 'paused';
    const paused = s?.status === 'paused';
    this.pause.disabled = !live;
    this.stop.disabled = !live;
    this.pause.textContent = paused ? 'Resume' : 'Pause';
    this.pause.setAttribute('aria-label', paused ? 'Resume training' : 'Pause training between steps');
    this.pause.setAttribute('aria-pressed', String(paused));
    this.exportButton.hidden = exportRequest(s) === null;
    this.againButton.hidden = !s || live || s.sourceUri === '';

    // The run's settings, the learning rate of its last epoch, and how long it has run.
    const facts: string[] = [];
    if (state.settingsLine) facts.push(state.settingsLine);
    const lr = s?.epochs.at(-1)?.lr;
    if (typeof lr === 'number' && Number.isFinite(lr)) facts.push(`current lr ${Number(lr.toPrecision(3))}`);
    const elapsed = elapsedOf(state, now);
    if (elapsed !== null) facts.push(`elapsed ${formatDuration(elapsed)}`);
    this.facts.textContent = facts.join(' · ');
    this.facts.hidden = facts.length === 0;
    // Memory while the run goes on; the numbers of a finished run would only mislead.
    this.memory.hidden = !live || !state.memory;
    this.memory.textContent = live && state.memory ? memoryText(state.memory) : '';
    const final = finalMetricsLine(state);
    this.final.textContent = final ? `Final: ${final}` : '';
    this.final.hidden = !final;

    const err = s?.status === 'failed' ? s.error : undefined;
    this.error.hidden = !err;
    this.error.textContent = err ? `Training failed (${err.code}): ${err.message}` : '';
  }
}
