// What `netspec train` shows on standard error while it runs. On a terminal, one line
// redrawn in place with \r: the epoch, a bar, step/steps, the loss, samples per second and
// the time left; when an epoch ends the bar gives way to a plain line of its metrics. When
// stderr is not a terminal (CI logs, pipes) only the epoch lines are written, so the log
// reads one line per epoch. Times come from an injectable clock so tests can drive it.

import type { EpochEvent, StepEvent } from '../../engine/src/train/types';

export interface ProgressOptions {
  /** True when the stream is a terminal: draw the bar. */
  tty: boolean;
  /** The terminal width; the bar shrinks to fit. */
  columns?: number;
  write(text: string): void;
  /** Milliseconds; Date.now by default. */
  now?: () => number;
}

/** "1:05", "12:00:07": a duration for the ETA column. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Four significant digits, without exponent noise for ordinary values. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(3);
  return Number(v.toPrecision(4)).toString();
}

/** "epoch 3/20  loss 0.4321  accuracy 0.9  val_loss ...  lr 0.001  1234 samples/s  1.2s". */
export function formatEpochLine(e: EpochEvent, epochs: number): string {
  const metrics = Object.entries(e.metrics).map(([k, v]) => `${k} ${formatNumber(v)}`);
  const lr = typeof e.lr === 'number' ? [`lr ${formatNumber(e.lr)}`] : [];
  return [`epoch ${e.epoch}/${epochs}`, ...metrics, ...lr, `${Math.round(e.samplesPerSecond)} samples/s`, `${e.seconds.toFixed(1)}s`].join('  ');
}

/** The bar line of a step: "epoch 1/5 [#####-----] 12/40 loss 0.43 900 samples/s ETA 0:05". */
export function formatStepLine(e: StepEvent, epochs: number, etaSeconds: number, width: number): string {
  const head = `epoch ${e.epoch}/${epochs} `;
  const tail = ` ${e.step}/${e.stepsPerEpoch} loss ${formatNumber(e.loss)} ${Math.round(e.samplesPerSecond)} samples/s ETA ${formatDuration(etaSeconds)}`;
  const room = Math.max(10, Math.min(30, width - head.length - tail.length - 3));
  const filled = Math.round((room * e.step) / Math.max(1, e.stepsPerEpoch));
  return `${head}[${'#'.repeat(filled)}${'-'.repeat(room - filled)}]${tail}`;
}

export class Progress {
  private readonly now: () => number;
  private start = -1;
  private lastDraw = -Infinity;
  private drawn = 0;

  constructor(
    private readonly epochs: number,
    private readonly options: ProgressOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  step(e: StepEvent): void {
    if (!this.options.tty) return;
    const t = this.now();
    if (this.start < 0) this.start = t;
    // Redraw at most ten times a second, and always on an epoch's last step.
    if (t - this.lastDraw < 100 && e.step !== e.stepsPerEpoch) return;
    this.lastDraw = t;
    const done = (e.epoch - 1) * e.stepsPerEpoch + e.step;
    const total = this.epochs * e.stepsPerEpoch;
    const eta = done > 0 ? ((t - this.start) / 1000 / done) * (total - done) : NaN;
    const line = formatStepLine(e, this.epochs, eta, this.options.columns ?? 80);
    this.options.write(`\r${line}${' '.repeat(Math.max(0, this.drawn - line.length))}`);
    this.drawn = line.length;
  }

  epoch(e: EpochEvent): void {
    this.clear();
    this.options.write(`${formatEpochLine(e, this.epochs)}\n`);
  }

  /** Erases the bar so the next line starts clean. */
  clear(): void {
    if (this.options.tty && this.drawn > 0) this.options.write(`\r${' '.repeat(this.drawn)}\r`);
    this.drawn = 0;
  }
}
