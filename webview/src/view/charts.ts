// The live charts, one uPlot per chart: loss per step (raw and smoothed), loss per epoch
// (train vs validation), and one per metric (train vs validation). Each chart keeps the
// number of points it shows in a `data-points` attribute, so tests and people inspecting the
// DOM can tell what was drawn. Colours come from the theme at creation; `rebuild` recreates
// the charts when the theme changes.

import uPlot from 'uplot';
import type { EpochEvent } from '../../../engine/src/train/types';
import { ema, integerIncrements, metricPairs } from '../series';
import type { StepPoint } from '../series';
import { chartColors } from './styles';

interface SeriesSpec {
  label: string;
  color: 'train' | 'val' | 'smooth' | 'raw';
  width?: number;
}

const HEIGHT = 200;

/** One titled chart with an x axis and several y series. */
class LineChart {
  readonly root: HTMLElement;
  private plot: uPlot | null = null;
  private data: uPlot.AlignedData = [[]];
  /** A log10 y axis (loss charts, on the user's request); values ≤ 0 become gaps there. */
  log = false;

  constructor(
    parent: HTMLElement,
    readonly key: string,
    readonly title: string,
    private readonly xLabel: string,
    private readonly series: SeriesSpec[],
  ) {
    this.root = document.createElement('section');
    this.root.className = 'ns-chart';
    this.root.dataset.chart = key;
    this.root.setAttribute('aria-label', title);
    const h = document.createElement('h3');
    h.textContent = title;
    this.root.appendChild(h);
    parent.appendChild(this.root);
    this.data = [[], ...series.map(() => [])];
    this.create();
  }

  private width(): number {
    return Math.max(this.root.clientWidth || 0, 280);
  }

  private create(): void {
    const c = chartColors();
    const axis = { stroke: c.text, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 } };
    const opts: uPlot.Options = {
      width: this.width(),
      height: HEIGHT,
      scales: { x: { time: false }, ...(this.log ? { y: { distr: 3 } } : {}) },
      // Steps and epochs are whole numbers: their ticks never fall between two.
      axes: [{ ...axis, label: this.xLabel, incrs: integerIncrements() }, { ...axis, size: 56 }],
      series: [{ label: this.xLabel }, ...this.series.map((s) => ({ label: s.label, stroke: c[s.color], width: s.width ?? 2, spanGaps: true }))],
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
    };
    this.plot = new uPlot(opts, this.data, this.root);
  }

  /** Replaces the chart's data: x values and one array per series (null for a gap). */
  setData(x: number[], ys: (number | null)[][]): void {
    this.data = [x, ...(this.log ? ys.map((y) => y.map((v) => (v !== null && v > 0 ? v : null))) : ys)];
    this.plot?.setData(this.data);
    this.root.dataset.points = String(x.length);
  }

  resize(): void {
    this.plot?.setSize({ width: this.width(), height: HEIGHT });
  }

  rebuild(): void {
    this.plot?.destroy();
    this.create();
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = null;
    this.root.remove();
  }
}

function finiteOrNull(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

/** Every chart of the panel, updated from the step points and epoch events. */
export class Charts {
  private readonly stepChart: LineChart;
  private readonly epochChart: LineChart;
  private readonly metricCharts = new Map<string, { chart: LineChart; val: string | null }>();

  constructor(private readonly parent: HTMLElement) {
    this.stepChart = new LineChart(parent, 'step-loss', 'Loss per step', 'step', [
      { label: 'loss', color: 'raw', width: 1 },
      { label: 'smoothed', color: 'smooth' },
    ]);
    this.epochChart = new LineChart(parent, 'epoch-loss', 'Loss per epoch', 'epoch', [
      { label: 'train', color: 'train' },
      { label: 'validation', color: 'val' },
    ]);
    if (typeof ResizeObserver !== 'undefined') {
      new ResizeObserver(() => this.all().forEach((c) => c.resize())).observe(parent);
    }
  }

  private all(): LineChart[] {
    return [this.stepChart, this.epochChart, ...[...this.metricCharts.values()].map((m) => m.chart)];
  }

  /** Redraws the step-loss chart from the kept points with the given smoothing. */
  setSteps(points: readonly StepPoint[], smoothing: number): void {
    const loss = points.map((p) => p.loss);
    this.stepChart.setData(
      points.map((p) => p.step),
      [loss.map((v) => finiteOrNull(v)), ema(loss, smoothing).map((v) => finiteOrNull(v))],
    );
  }

  /**
   * Redraws the epoch charts; a chart appears for each metric the first time it is reported.
   * `partial`, the epoch in progress (state.ts partialEpochOf), adds its training loss so far
   * at its fractional x to the loss chart.
   */
  setEpochs(epochs: readonly EpochEvent[], partial: { x: number; loss: number } | null = null): void {
    const x = epochs.map((e) => e.epoch);
    const train = epochs.map((e) => finiteOrNull(e.metrics.loss));
    const val = epochs.map((e) => finiteOrNull(e.metrics.val_loss));
    if (partial) this.epochChart.setData([...x, partial.x], [[...train, partial.loss], [...val, null]]);
    else this.epochChart.setData(x, [train, val]);
    this.epochChart.root.dataset.partial = partial ? String(partial.x) : '';
    const names = new Set<string>();
    for (const e of epochs) for (const k of Object.keys(e.metrics)) names.add(k);
    for (const pair of metricPairs(names)) {
      // Losses of named outputs ("out_a_loss") belong with the losses, but a chart each keeps them readable.
      if (!this.metricCharts.has(pair.name)) {
        const chart = new LineChart(this.parent, `metric-${pair.name}`, pair.name.replace(/_/g, ' '), 'epoch', [
          { label: 'train', color: 'train' },
          { label: 'validation', color: 'val' },
        ]);
        this.metricCharts.set(pair.name, { chart, val: pair.val });
      }
      const m = this.metricCharts.get(pair.name)!;
      m.val = pair.val;
      this.metricCharts.get(pair.name)!.chart.setData(x, [
        epochs.map((e) => finiteOrNull(e.metrics[pair.name])),
        epochs.map((e) => (m.val ? finiteOrNull(e.metrics[m.val]) : null)),
      ]);
    }
  }

  /** Drops the metric charts (a new run may report other metrics). */
  reset(): void {
    for (const m of this.metricCharts.values()) m.chart.destroy();
    this.metricCharts.clear();
    this.stepChart.setData([], [[], []]);
    this.epochChart.setData([], [[], []]);
  }

  /** A log scale on the loss charts (step and epoch), or back to linear; redrawn at the next update. */
  setLogScale(on: boolean): void {
    for (const c of [this.stepChart, this.epochChart]) {
      if (c.log === on) continue;
      c.log = on;
      c.rebuild();
      c.root.dataset.log = String(on);
    }
  }

  /** Recreates every chart with the current theme's colours. */
  rebuild(): void {
    this.all().forEach((c) => c.rebuild());
  }
}
