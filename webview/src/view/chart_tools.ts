// The controls above the charts: the step-loss smoothing (a slider, starting from the
// `netspec.chartSmoothing` setting, for this panel only) and a log scale for the loss charts.

export interface ChartToolActions {
  smoothing(value: number): void;
  logScale(on: boolean): void;
}

export class ChartTools {
  private readonly slider = document.createElement('input');
  private readonly value = document.createElement('output');

  constructor(parent: HTMLElement, actions: ChartToolActions) {
    const bar = document.createElement('div');
    bar.className = 'ns-chart-tools';
    const smooth = document.createElement('label');
    smooth.textContent = 'Smoothing ';
    this.slider.type = 'range';
    this.slider.min = '0';
    this.slider.max = '0.99';
    this.slider.step = '0.01';
    this.slider.dataset.action = 'smoothing';
    this.slider.addEventListener('input', () => {
      this.value.textContent = this.slider.value;
      actions.smoothing(Number(this.slider.value));
    });
    smooth.append(this.slider, this.value);
    const log = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.dataset.action = 'log-scale';
    box.addEventListener('change', () => actions.logScale(box.checked));
    log.append(box, document.createTextNode(' Log scale (loss)'));
    bar.append(smooth, log);
    parent.appendChild(bar);
  }

  /** Shows the smoothing in use (the setting changed, or a run started with it). */
  show(smoothing: number): void {
    if (document.activeElement === this.slider) return;
    this.slider.value = String(smoothing);
    this.value.textContent = smoothing.toFixed(2);
  }
}
