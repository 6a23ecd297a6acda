// The numbers behind the panel's charts and progress bar, kept apart from the DOM so they
// can be tested in Node: the exponential moving average that smooths the step loss (the
// debiased form TensorBoard uses, so the first points are not dragged towards zero), a
// capped list of step points that halves itself by averaging neighbours when it grows past
// its cap (a long run keeps drawing fast and the kept points still span the whole run), and
// the progress and ETA of a run from the steps done so far.

/** One point of the step-loss chart: a global step (1-based across epochs) and its loss. */
export interface StepPoint {
  step: number;
  loss: number;
}

/** How many step points a run keeps by default; the list halves when it grows past this. */
export const STEP_POINT_CAP = 2000;

/**
 * The debiased exponential moving average of `values` with `weight` in [0, 1): 0 returns
 * the values as they are, 0.99 smooths hard. Non-finite values are passed through and do not
 * disturb the average, so a NaN step shows as a gap rather than poisoning the rest.
 */
export function ema(values: readonly number[], weight: number): number[] {
  const w = Number.isFinite(weight) ? Math.min(Math.max(weight, 0), 0.999) : 0;
  const out = new Array<number>(values.length);
  let last = 0;
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    seen++;
    const debias = w === 0 ? 1 : 1 - Math.pow(w, seen);
    out[i] = last / debias;
  }
  return out;
}

/**
 * Appends `point` to `points` in place; when the list grows past `cap`, neighbouring pairs
 * are merged (the later step, the mean loss) so it halves. Returns the list for chaining.
 */
export function appendCapped(points: StepPoint[], point: StepPoint, cap = STEP_POINT_CAP): StepPoint[] {
  points.push(point);
  if (points.length > Math.max(cap, 2)) {
    const merged: StepPoint[] = [];
    for (let i = 0; i + 1 < points.length; i += 2) {
      const a = points[i];
      const b = points[i + 1];
      merged.push({ step: b.step, loss: (a.loss + b.loss) / 2 });
    }
    if (points.length % 2 === 1) merged.push(points[points.length - 1]);
    points.length = 0;
    points.push(...merged);
  }
  return points;
}

/** The global step of an event: steps of earlier epochs plus this one's (both 1-based). */
export function globalStep(epoch: number, step: number, stepsPerEpoch: number): number {
  return (epoch - 1) * stepsPerEpoch + step;
}

/** How far a run is, as a fraction in [0, 1], from its steps done and the steps planned. */
export function progressFraction(done: number, total: number): number {
  if (!(total > 0) || !(done > 0)) return 0;
  return Math.min(done / total, 1);
}

/**
 * Seconds left, assuming the remaining steps run at the pace so far; null before the first
 * step or when the numbers make no sense.
 */
export function etaSeconds(elapsedMs: number, done: number, total: number): number | null {
  if (!(done > 0) || !(total > 0) || !(elapsedMs >= 0) || !Number.isFinite(elapsedMs)) return null;
  const left = Math.max(total - done, 0);
  return (elapsedMs / 1000) * (left / done);
}

/** Steps measured before an ETA is shown: the first ones include compiling and warming up. */
export const ETA_MIN_STEPS = 20;
/** And the time they must span (ms), so a burst of posted steps does not make a wild guess. */
export const ETA_MIN_MS = 2000;

/**
 * The ETA from the pace measured since the first step (loading the data and compiling
 * kernels before it would inflate it), paused time excluded; null until ETA_MIN_STEPS steps
 * over ETA_MIN_MS have been measured, so it never starts absurd.
 */
export function measuredEta(measuredMs: number, stepsMeasured: number, left: number): number | null {
  if (!(stepsMeasured >= ETA_MIN_STEPS) || !(measuredMs >= ETA_MIN_MS) || !(left >= 0)) return null;
  return etaSeconds(measuredMs, stepsMeasured, stepsMeasured + left);
}

/** Tick spacings for axes of whole numbers (steps, epochs): 1, 2, 5, 10, 20, 50... never a fraction. */
export function integerIncrements(): number[] {
  const out: number[] = [];
  for (let p = 1; p <= 1e9; p *= 10) out.push(p, 2 * p, 5 * p);
  return out;
}

/**
 * The epoch in progress as a point for the epoch chart, so the chart is not blank through the
 * first epoch and shows where a run stopped mid-epoch: x is the fractional epoch reached
 * (2.4 is 40% into epoch 3), y the mean loss of the steps of that epoch so far.
 */
export function partialEpoch(points: readonly StepPoint[], stepsPerEpoch: number, lastEpoch: number, lastStep: number, epochsDone: number): { x: number; loss: number } | null {
  if (!(stepsPerEpoch > 0) || lastEpoch <= epochsDone || lastStep >= stepsPerEpoch) return null;
  const from = (lastEpoch - 1) * stepsPerEpoch;
  const mine = points.filter((p) => p.step > from && Number.isFinite(p.loss));
  if (mine.length === 0) return null;
  return { x: lastEpoch - 1 + lastStep / stepsPerEpoch, loss: mine.reduce((a, p) => a + p.loss, 0) / mine.length };
}

/** A duration as people read it: "42 s", "3 min 05 s", "1 h 02 min"; an em dash when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** A rate with sensible precision: 12 300 → "12.3k", 87.25 → "87.3". */
export function formatRate(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}

/**
 * The metric names a run's epochs report, paired train vs validation: for each name that
 * does not start with `val_` (and is not the loss), the pair [name, val_name or null].
 */
export function metricPairs(metricNames: Iterable<string>): { name: string; val: string | null }[] {
  const names = new Set(metricNames);
  const out: { name: string; val: string | null }[] = [];
  for (const n of names) {
    if (n === 'loss' || n.startsWith('val_')) continue;
    out.push({ name: n, val: names.has(`val_${n}`) ? `val_${n}` : null });
  }
  return out;
}
