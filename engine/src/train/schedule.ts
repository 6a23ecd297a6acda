// Learning-rate schedules as pure functions of where training is, so that a run resumed or
// replayed computes the same rates and a test can read every value off a formula. The loop
// asks for the rate before each step and hands it to that step. Arguments and defaults come
// from the train catalog (engine/catalog/train/schedules.ts). The formulas are
// Keras's: ExponentialDecay, CosineDecay (per optimizer step), a step decay per epoch, and
// ReduceLROnPlateau (per epoch, from the monitored loss history).

import type { TrainSchedule } from '../../catalog/train_ir';
import { resolveCall, SCHEDULE_FAMILY } from '../../catalog/train/index';

/**
 * The rate for the next step. `epoch`: 0-based index of the running epoch; `step`: optimizer
 * steps completed so far (Keras `iterations`); `history`: the monitored loss (val_loss, or
 * loss without validation) of every finished epoch, oldest first.
 */
export type Schedule = (epoch: number, step: number, history: readonly number[]) => number;

export type ScheduleResult = { ok: true; schedule: Schedule } | { ok: false; message: string };

/** The rate never changes. */
export function constant(lr: number): Schedule {
  return () => lr;
}

/** lr · rate^(step / decaySteps), Keras ExponentialDecay without staircase. */
export function exponential(lr: number, decayRate: number, decaySteps: number): Schedule {
  return (_epoch, step) => lr * Math.pow(decayRate, step / decaySteps);
}

/** lr · ((1 − alpha) · ½(1 + cos(π · min(step, decaySteps) / decaySteps)) + alpha), Keras CosineDecay. */
export function cosine(lr: number, decaySteps: number, alpha: number): Schedule {
  return (_epoch, step) => {
    const fraction = Math.min(step, decaySteps) / decaySteps;
    return lr * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * fraction)) + alpha);
  };
}

/** lr · factor^floor(epoch / every): the rate drops by `factor` every `every` epochs. */
export function stepDecay(lr: number, every: number, factor: number): Schedule {
  return (epoch) => lr * Math.pow(factor, Math.floor(epoch / every));
}

/**
 * Keras ReduceLROnPlateau replayed over the history: an epoch improves when its loss is
 * below the best by more than `minDelta`; after `patience` epochs without improvement the
 * rate is multiplied by `factor` (not below `minLr`) and the wait starts again.
 */
export function reduceOnPlateau(lr: number, factor: number, patience: number, minDelta: number, minLr: number): Schedule {
  return (_epoch, _step, history) => {
    let rate = lr;
    let best = Infinity;
    let wait = 0;
    for (const v of history) {
      if (v < best - minDelta) {
        best = v;
        wait = 0;
      } else if (++wait >= patience) {
        rate = Math.max(rate * factor, minLr);
        wait = 0;
      }
    }
    return rate;
  };
}

/** Builds the schedule a train block names, around the optimizer's base rate; bad args are error values. */
export function makeSchedule(lr: number, spec: TrainSchedule | null | undefined): ScheduleResult {
  if (!spec) return { ok: true, schedule: constant(lr) };
  const r = resolveCall(SCHEDULE_FAMILY, spec);
  if (!r.ok) return { ok: false, message: r.message };
  const a = r.args as Record<string, number>;
  switch (r.entry.name) {
    case 'constant':
      return { ok: true, schedule: constant(lr) };
    case 'exponential':
      return { ok: true, schedule: exponential(lr, a.decay_rate, a.decay_steps) };
    case 'cosine':
      return { ok: true, schedule: cosine(lr, a.decay_steps, a.alpha) };
    case 'step':
      return { ok: true, schedule: stepDecay(lr, a.every, a.factor) };
    case 'reduce_on_plateau':
      return { ok: true, schedule: reduceOnPlateau(lr, a.factor, a.patience, a.min_delta, a.min_lr) };
  }
}
