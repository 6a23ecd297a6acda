// Pausing a run between steps. The training loop awaits its `beforeStep` callback before
// every step; the worker passes `pass` of this gate there, so closing the gate holds the
// loop at a step boundary and opening it lets the run go on. Stop opens the gate, so a
// paused run can still be stopped (the loop polls `shouldStop` again after the wait).

/** A gate that is open (no wait) until `close`; `open` releases everything waiting. */
export class PauseGate {
  private waiting: Promise<void> | null = null;
  private release: (() => void) | null = null;

  get paused(): boolean {
    return this.waiting !== null;
  }

  close(): void {
    if (this.waiting) return;
    this.waiting = new Promise<void>((resolve) => (this.release = resolve));
  }

  open(): void {
    const release = this.release;
    this.waiting = null;
    this.release = null;
    release?.();
  }

  /** Resolves at once when open, else when the gate opens. */
  pass(): Promise<void> {
    return this.waiting ?? Promise.resolve();
  }
}
