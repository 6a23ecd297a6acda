// Learning-rate schedules as pure functions of where training is, so that a run resumed or
// replayed computes the same rates and a test can read every value off a formula. The loop
// asks for the rate before each step and writes it into the optimizer. The formulas are
// Keras's: ExponentialDecay, CosineDecay (per optimizer step), a step decay per epoch, and
// ReduceLROnPlateau (per epoch, from the monitored loss history).

import type { TrainSchedule } from '../../catalog/train_ir';

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
export function cosine(lr: number, decaySteps: number, alpha = 0): Schedule {
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
export function reduceOnPlateau(lr: number, factor = 0.1, patience = 10, minDelta = 1e-4, minLr = 0): Schedule {
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
  if (!spec || spec.name === 'constant') return { ok: true, schedule: constant(lr) };
  const a = spec.args ?? {};
  const num = (name: string, fallback?: number): number | undefined => (typeof a[name] === 'number' ? a[name] : fallback);
  const bad = (message: string): ScheduleResult => ({ ok: false, message: `schedule ${spec.name}: ${message}` });
  switch (spec.name) {
    case 'exponential': {
      const rate = num('decay_rate');
      const steps = num('decay_steps');
      if (rate === undefined || !(rate > 0)) return bad('decay_rate must be a number above 0');
      if (steps === undefined || !(steps > 0)) return bad('decay_steps must be a number above 0');
      return { ok: true, schedule: exponential(lr, rate, steps) };
    }
    case 'cosine': {
      const steps = num('decay_steps');
      const alpha = num('alpha', 0)!;
      if (steps === undefined || !(steps > 0)) return bad('decay_steps must be a number above 0');
      if (!(alpha >= 0 && alpha <= 1)) return bad('alpha must be between 0 and 1');
      return { ok: true, schedule: cosine(lr, steps, alpha) };
    }
    case 'step': {
      const every = num('every');
      const factor = num('factor');
      if (every === undefined || !Number.isInteger(every) || every < 1) return bad('every must be a whole number of epochs, at least 1');
      if (factor === undefined || !(factor > 0)) return bad('factor must be a number above 0');
      return { ok: true, schedule: stepDecay(lr, every, factor) };
    }
    case 'reduce_on_plateau': {
      const factor = num('factor', 0.1)!;
      const patience = num('patience', 10)!;
      if (!(factor > 0 && factor < 1)) return bad('factor must be between 0 and 1');
      if (!Number.isInteger(patience) || patience < 0) return bad('patience must be a whole number of epochs');
      return { ok: true, schedule: reduceOnPlateau(lr, factor, patience, num('min_delta', 1e-4), num('min_lr', 0)) };
    }
  }
  return bad('unknown schedule');
}
