// The training process in the extension host: `dist/train_child.js` started with `fork`
// (Node's IPC channel, structured clone so data bytes travel as bytes). Where the extension
// host runs Electron, ELECTRON_RUN_AS_NODE makes the child a plain Node, as Export Model
// does for the CLI. The child speaks the panel's protocol (webview/protocol.ts); this
// module turns its life into calls: every message, and an exit before the run ended (a
// crash, a kill, an out-of-memory) as one clear sentence. The client never imports the
// engine: the child is its own bundle.

import { fork, type ChildProcess } from 'node:child_process';
import type { FromPanel, ToPanel } from '../../webview/protocol';

/**
 * Messages whose arrival means the run is over (nothing more is expected from the child).
 * A `declined` child stays: it may be asked to train on the CPU next (run_router.ts).
 */
const ENDINGS = new Set<FromPanel['type']>(['finished', 'failed']);

/** How long a child that was asked to end may take before it is killed. */
export const END_GRACE_MS = 5_000;

export interface HostRunHooks {
  message(msg: FromPanel): void;
  /** The child went away before its run ended; `why` says how, for the user. */
  crashed(why: string): void;
}

/** What the extension needs of the child (a real ChildProcess, or one made by a test). */
export type ChildLike = Pick<ChildProcess, 'send' | 'kill' | 'disconnect' | 'connected' | 'pid' | 'exitCode' | 'signalCode' | 'on'>;

/** Starts the child; the default forks the bundled script with Node's IPC. */
export function forkTrainChild(script: string, env: NodeJS.ProcessEnv = process.env): ChildLike {
  return fork(script, [], {
    env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
    execPath: process.execPath,
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
}

/** How an exit reads: "it was killed (SIGKILL)" or "it exited with code 3". */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `it was killed (${signal})` : `it exited with code ${code ?? 'unknown'}`;
}

export class HostRunner {
  private ended = false;
  private stderr = '';

  constructor(
    private readonly child: ChildLike,
    private readonly hooks: HostRunHooks,
  ) {
    child.on('message', (m: unknown) => this.onMessage(m));
    child.on('exit', (code, signal) => this.onExit(code, signal));
    child.on('error', (e: Error) => this.onExit(null, null, e.message));
    // The last lines the child wrote on stderr explain most crashes (a native abort, OOM).
    (child as ChildProcess).stderr?.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-2000)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends a protocol message (start, stop, pause, resume) to the child. */
  send(msg: ToPanel | { type: 'stop' | 'pause' | 'resume' }): void {
    if (this.ended || !this.child.connected) return;
    try {
      this.child.send(msg);
    } catch {
      // A child that went away is reported by its exit event.
    }
  }

  /** The run is over for the extension: let the child exit, and kill it if it lingers. */
  end(): void {
    this.ended = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => {
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    }, END_GRACE_MS);
    timer.unref?.();
  }

  private onMessage(m: unknown): void {
    if (this.ended || !m || typeof m !== 'object' || typeof (m as { type?: unknown }).type !== 'string') return;
    const msg = m as FromPanel;
    if (ENDINGS.has(msg.type)) this.ended = true;
    this.hooks.message(msg);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, error?: string): void {
    if (this.ended) return;
    this.ended = true;
    const last = this.stderr.trim().split('\n').slice(-3).join(' ').trim();
    const how = error ? `it could not run (${error})` : describeExit(code, signal);
    this.hooks.crashed(`the training process in the extension host stopped before the run ended: ${how}${last ? `; its last words: ${last}` : ''}`);
  }
}
