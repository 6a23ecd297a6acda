// How `netspec train` is asked to stop. Editors and CI stop a process with SIGTERM, a
// closed terminal sends SIGHUP, a user presses Ctrl-C (SIGINT); all three mean the same
// thing: stop after the current step, keep the last finished epoch's checkpoint, remove the
// temporary files, and exit with 128 + the signal's number (130, 143, 129), as a shell
// reports a process that a signal ended. Without listeners Node would die at once on
// SIGTERM and SIGHUP and skip every clean-up, which is why they are listened for here.

/** The signals that stop a run, with the exit status each gives. */
export const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

export type StopSignal = keyof typeof STOP_SIGNALS;

/**
 * Calls `handler` with each stop signal and how many have arrived so far (all kinds
 * counted together) until the returned function is called.
 */
export function onStopSignals(handler: (signal: StopSignal, count: number) => void): () => void {
  let count = 0;
  const listeners = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((signal) => {
    const listener = () => handler(signal, ++count);
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}
