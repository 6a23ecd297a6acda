// The conversation with one training panel, over anything with `postMessage` and
// `onDidReceiveMessage` (a real webview, or a fake in tests). The panel's script says
// `ready` once it listens; messages sent before that are queued, so a `start` is never lost.
// Run messages go to the current RunSession (or the run's route, run_router.ts); the panel's
// buttons (stop, pause, resume) become commands to the panel's worker, or to the extension
// host's training process for a run watched from there (`watch`, `relay`); a panel that
// loads with no run to start gets the last snapshot to redraw, and the model's recorded
// runs (list, curves, rename, delete, export, re-run through RunsHooks).

import type { FromPanel, RunCurves, RunRecord, RunSnapshot, ToPanel } from '../../webview/protocol';
import type { RunSession } from './run_session';

/** Where a run's messages and the panel's Stop, Pause and Resume go instead of the defaults. */
export interface RunRoute {
  /** Every message of the run from the panel's worker (the default hands them to the session). */
  fromPanel?(msg: FromPanel): void;
  /** A run in the extension host: the buttons steer its child, not the panel's worker. */
  control?(command: 'stop' | 'pause' | 'resume'): void;
}

/** The part of `vscode.Webview` the channel uses. */
export interface WebviewLike {
  postMessage(message: ToPanel): PromiseLike<boolean>;
  onDidReceiveMessage(listener: (message: unknown) => void): { dispose(): void };
}

export interface ChannelHooks {
  log(level: 'info' | 'warn' | 'error', line: string): void;
  /** Runs Export Model for a run's model (the panel's Export button). */
  exportRun?(request: ExportRunRequest): void;
  /** Predict on a file with a run's model and weights; `send` tells the panel how it goes. */
  predictRun?(request: ExportRunRequest & { runId: string; runName?: string }, send: (m: ToPanel) => void): void;
  /** Offers the values of `netspec.backend` (the Change… button beside the device). */
  switchBackend?(): void;
  /** Train Model for a run's model again (the panel's Train again). */
  trainAgain?(ctx: RunContext): void;
  /** The recorded runs of the model shown (runs_hooks.ts). */
  runs?: RunsHooks;
}

/** The model whose runs the panel lists: the current run's or the restored one's. */
export interface RunContext {
  model: string;
  sourceUri: string;
}

export interface RunsHooks {
  list(ctx: RunContext): Promise<RunRecord[]>;
  curves(ctx: RunContext, ids: string[]): Promise<RunCurves[]>;
  /** Asks the user for a name and renames; true when something changed. */
  rename(ctx: RunContext, id: string): Promise<boolean>;
  /** Asks the user to confirm and deletes; true when something changed. */
  remove(ctx: RunContext, id: string): Promise<boolean>;
  /** Runs Export Model with the run's weights. */
  exportRun(ctx: RunContext, id: string): Promise<void>;
  /** The run's name and weights file (Predict on a file), or undefined for an unknown run. */
  weightsOf(ctx: RunContext, id: string): Promise<{ name: string; weights: string } | undefined>;
  /** Trains the model again with the run's recorded settings (a new run); says why when it cannot. */
  rerun(ctx: RunContext, id: string): Promise<void>;
}

/** What the Export button asks for: the model's file and name, and the run's weights file. */
export interface ExportRunRequest {
  uri: string;
  model: string;
  /** The run's weights file, when the run wrote one. */
  weights?: string;
}

const FROM_PANEL_TYPES = new Set<FromPanel['type']>([
  'ready',
  'backend',
  'step',
  'epoch',
  'weights',
  'finished',
  'failed',
  'log',
  'request-stop',
  'request-pause',
  'request-resume',
  'request-export',
  'request-predict',
  'declined',
  'request-backend',
  'request-train-again',
  'request-curves',
  'request-rename-run',
  'request-delete-run',
  'request-export-run',
  'request-predict-run',
  'request-rerun-run',
]);

/** True when `m` looks like a panel message (an object with a known `type`). */
export function isFromPanel(m: unknown): m is FromPanel {
  return typeof m === 'object' && m !== null && FROM_PANEL_TYPES.has((m as { type?: unknown }).type as FromPanel['type']);
}

export class PanelChannel {
  private ready = false;
  private queue: ToPanel[] = [];
  private session: RunSession | undefined;
  private route: RunRoute = {};
  /** The chart smoothing last sent, for a reloaded panel that picks up a host run. */
  smoothing = 0.6;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly webview: WebviewLike,
    private readonly hooks: ChannelHooks,
    /** The snapshot a panel that loads without a run to start redraws. */
    private lastSnapshot?: RunSnapshot,
  ) {
    this.subscription = webview.onDidReceiveMessage((m) => this.receive(m));
  }

  get isReady(): boolean {
    return this.ready;
  }

  get current(): RunSession | undefined {
    return this.session && !this.session.finished ? this.session : undefined;
  }

  /** Sends now when the panel is ready, else once it is. */
  send(message: ToPanel): void {
    if (this.ready) void this.post(message);
    else this.queue.push(message);
  }

  /** Makes `session` the current run and asks the panel to start it. */
  start(session: RunSession, message: ToPanel & { type: 'start' }, route: RunRoute = {}): void {
    this.adoptSession(session, route);
    this.send(message);
  }

  /** Makes `session` the current run, trained elsewhere (the extension host): the panel draws it. */
  watch(session: RunSession, message: ToPanel & { type: 'watch' }, route: RunRoute): void {
    this.adoptSession(session, route);
    this.watching = message;
    this.send(message);
  }

  /** The watch message of the host run shown, sent again (with the run so far) to a reloaded panel. */
  private watching: (ToPanel & { type: 'watch' }) | undefined;

  /** A message of a run trained elsewhere, for the panel to draw. */
  relay(event: FromPanel): void {
    const message: ToPanel = { type: 'relay', event };
    if (event.type !== 'step') return this.send(message);
    // Steps the panel took are counted: the e2e suite checks that the panel got points.
    if (!this.ready) this.queue.push(message);
    else void this.post(message).then((ok) => ok && this.relayedSteps++);
  }

  /** Relayed step messages the panel took (postMessage said delivered). */
  relayedSteps = 0;

  private adoptSession(session: RunSession, route: RunRoute): void {
    if (this.session !== session) void session.done.then((o) => (this.lastSnapshot = o.snapshot));
    this.session = session;
    this.route = route;
  }

  stop(): void {
    this.command('stop');
  }

  /** Stop, Pause or Resume for the current run: to its child, or to the panel's worker. */
  private command(type: 'stop' | 'pause' | 'resume'): void {
    if (!this.current) return;
    if (this.route.control) this.route.control(type);
    // The panel hears it too: its state shows the pause, and a worker of its own obeys it.
    this.send({ type });
  }

  /** Forwards a settings change (chart smoothing) to the panel. */
  settings(smoothing: number): void {
    this.smoothing = smoothing;
    this.send({ type: 'settings', smoothing });
  }

  /** The panel is gone: the run in it is over. */
  dispose(): void {
    this.subscription.dispose();
    void this.current?.abort('the training panel was closed, so the run stopped');
  }

  receive(m: unknown): void {
    if (!isFromPanel(m)) {
      this.hooks.log('warn', `the training panel sent an unknown message: ${safeJson(m)}`);
      return;
    }
    switch (m.type) {
      case 'ready':
        this.onReady();
        return;
      case 'log':
        this.hooks.log(m.level === 'error' || m.level === 'warn' ? m.level : 'info', `panel: ${m.message}`);
        return;
      case 'request-stop':
        this.stop();
        return;
      case 'request-pause':
        if (this.current) {
          this.command('pause');
          this.current.setPaused(true);
        }
        return;
      case 'request-resume':
        if (this.current) {
          this.command('resume');
          this.current.setPaused(false);
        }
        return;
      case 'request-export':
        this.onExport(m.runId);
        return;
      case 'request-predict': {
        const target = this.endedRun(m.runId, 'predict with');
        if (target) this.hooks.predictRun?.({ ...target, runId: String(m.runId) }, (msg) => this.send(msg));
        return;
      }
      case 'request-backend':
        this.hooks.switchBackend?.();
        return;
      case 'request-train-again': {
        const ctx = this.runContext();
        if (ctx && !this.current) this.hooks.trainAgain?.(ctx);
        return;
      }
      case 'request-curves':
      case 'request-rename-run':
      case 'request-delete-run':
      case 'request-export-run':
      case 'request-predict-run':
      case 'request-rerun-run':
        void this.onRunsRequest(m);
        return;
      default:
        if (this.route.fromPanel) this.route.fromPanel(m);
        else this.session?.handle(m);
    }
  }

  /** The model the runs list is about. */
  private runContext(): RunContext | undefined {
    const s = this.session?.snapshot ?? this.lastSnapshot;
    return s ? { model: s.model, sourceUri: s.sourceUri } : undefined;
  }

  /** Sends the panel the runs of the model it shows (after a run, a rename, a delete, a load). */
  async runsChanged(): Promise<void> {
    const ctx = this.runContext();
    const hooks = this.hooks.runs;
    if (!ctx || !hooks) return;
    try {
      this.send({ type: 'runs', model: ctx.model, runs: await hooks.list(ctx) });
    } catch (e) {
      this.hooks.log('warn', `the runs of ${ctx.model} could not be listed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async onRunsRequest(m: Extract<FromPanel, { type: 'request-curves' | 'request-rename-run' | 'request-delete-run' | 'request-export-run' | 'request-predict-run' | 'request-rerun-run' }>): Promise<void> {
    const ctx = this.runContext();
    const hooks = this.hooks.runs;
    if (!ctx || !hooks) return;
    try {
      if (m.type === 'request-curves') {
        const ids = Array.isArray(m.ids) ? m.ids.filter((x) => typeof x === 'string') : [];
        this.send({ type: 'run-curves', curves: await hooks.curves(ctx, ids) });
        return;
      }
      if (m.type === 'request-rerun-run') {
        // The Train command itself refuses while a run trains, and says so.
        await hooks.rerun(ctx, String(m.id));
        return;
      }
      if (m.type === 'request-export-run') {
        await hooks.exportRun(ctx, String(m.id));
        return;
      }
      if (m.type === 'request-predict-run') {
        const run = await hooks.weightsOf(ctx, String(m.id));
        if (run) this.hooks.predictRun?.({ uri: ctx.sourceUri, model: ctx.model, weights: run.weights, runId: String(m.id), runName: run.name }, (msg) => this.send(msg));
        return;
      }
      const changed = m.type === 'request-rename-run' ? await hooks.rename(ctx, String(m.id)) : await hooks.remove(ctx, String(m.id));
      if (changed) await this.runsChanged();
    } catch (e) {
      this.hooks.log('warn', `${m.type} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private onExport(runId: unknown): void {
    const target = this.endedRun(runId, 'export');
    if (target) this.hooks.exportRun?.(target);
  }

  /**
   * The model and weights of the run a button (Export, Predict) belongs to: the session's
   * (with its weights) or the restored snapshot's; undefined, with a log line, for a run
   * still training or one the extension does not know.
   */
  private endedRun(runId: unknown, verb: string): ExportRunRequest | undefined {
    const s = this.session;
    if (s && s.snapshot.runId === runId) {
      if (this.current) {
        this.hooks.log('warn', `${s.snapshot.model} is still training; ${verb} it when the run ends`);
        return undefined;
      }
      return { uri: s.snapshot.sourceUri, model: s.snapshot.model, ...(s.weightsWritten ? { weights: s.weightsPath } : {}) };
    }
    const last = this.lastSnapshot;
    if (last && last.runId === runId) return { uri: last.sourceUri, model: last.model };
    this.hooks.log('warn', `the training panel asked to ${verb} an unknown run (${safeJson(runId)})`);
    return undefined;
  }

  private onReady(): void {
    const again = this.ready;
    this.ready = true;
    // A run in the extension host goes on: the reloaded panel picks it up where it is.
    if (again && this.current && this.route.control) {
      const s = this.current.snapshot;
      const base = this.watching ?? { type: 'watch' as const, runId: s.runId, model: s.model, sourceUri: s.sourceUri, epochs: this.current.epochs, smoothing: this.smoothing };
      void this.post({ ...base, smoothing: this.smoothing, snapshot: s });
      return;
    }
    // A panel that reloads mid-run has lost its worker: that run is over.
    if (again && this.current) {
      void this.current.abort('the training panel reloaded, so the run stopped');
      if (this.session) void this.post({ type: 'restore', snapshot: this.session.snapshot });
      return;
    }
    const queued = this.queue;
    this.queue = [];
    if (queued.length === 0 && !this.current && this.lastSnapshot) void this.post({ type: 'restore', snapshot: this.lastSnapshot });
    for (const q of queued) void this.post(q);
    void this.runsChanged();
  }

  private async post(message: ToPanel): Promise<boolean> {
    try {
      const delivered = await this.webview.postMessage(message);
      if (!delivered) this.hooks.log('warn', `the training panel did not take the ${message.type} message`);
      return delivered;
    } catch (e) {
      this.hooks.log('error', `sending ${message.type} to the training panel failed: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }
}

function safeJson(m: unknown): string {
  try {
    return JSON.stringify(m)?.slice(0, 200) ?? String(m);
  } catch {
    return String(m);
  }
}
