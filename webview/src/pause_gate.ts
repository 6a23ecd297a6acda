// Pausing a run between steps. The training loop has no asynchronous hook before a step,
// but every step reads its losses back with one `download` from the backend; wrapping the
// backend so that `download` first awaits an open gate holds the loop at a step boundary
// without touching the engine. Stop opens the gate, so a paused run can still be stopped.

import type { Backend } from '../../engine/src/backend';

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

/** `backend` with every `download` waiting on `gate` first; everything else is the backend's own. */
export function gatedBackend(backend: Backend, gate: PauseGate): Backend {
  return new Proxy(backend, {
    get(target, prop) {
      if (prop === 'download') {
        return async (buffer: Parameters<Backend['download']>[0]) => {
          await gate.pass();
          return target.download(buffer);
        };
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
