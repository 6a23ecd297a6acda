// How far a stopped run got, in words for the end-of-run notification. "after 0 epoch(s)"
// for a run stopped 300 steps into its first epoch read as if nothing had happened; this
// counts the finished epochs and the steps of the epoch it was in.

/** Where the last step event left a run. */
export interface StepPosition {
  epoch: number;
  step: number;
  stepsPerEpoch: number;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "after 3 epochs", "after 2 epochs and 40 of 938 steps of epoch 3", "in epoch 1, after 40 of 938 steps". */
export function stoppedProgress(epochsDone: number, last: StepPosition | undefined): string {
  const partial = last && last.epoch > epochsDone && last.step < last.stepsPerEpoch ? last : undefined;
  if (!partial) return epochsDone === 0 ? 'before its first step' : `after ${plural(epochsDone, 'epoch')}`;
  const steps = `${partial.step} of ${partial.stepsPerEpoch} steps`;
  return epochsDone === 0 ? `in epoch 1, after ${steps}` : `after ${plural(epochsDone, 'epoch')} and ${steps} of epoch ${partial.epoch}`;
}
