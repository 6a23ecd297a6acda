// The panel's controller: it owns the state, relays messages between the extension and the
// training worker, persists the state after each epoch, and redraws. Messages from the
// extension steer the worker (start creates a fresh one; stop, pause and resume go to it);
// everything the worker says goes through the reducer and on to the extension unchanged,
// except `finished`, whose snapshot is the panel's own (with the step history). A run in
// the extension host (`watch`) has no worker here: the extension relays its messages and
// the panel only draws them.
// The Stop and Pause buttons act at once and tell the extension (request-stop, ...), which
// may echo the command back; stop, pause and resume are idempotent, so an echo is harmless.

import type { FromPanel, RunSnapshot, ToPanel } from '../protocol';
import { fromPersisted, initialState, partialEpochOf, persisted, reduce } from './state';
import type { PanelState } from './state';
import { ChartTools } from './view/chart_tools';
import { Charts } from './view/charts';
import { exportRequest, Header } from './view/header';
import { renderReport } from './view/report_view';
import type { PredictionState } from './prediction';
import { PredictionView } from './view/prediction_view';
import { RunsView } from './view/runs_view';

/** What `acquireVsCodeApi()` returns, as far as the panel uses it. */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** The slice of a Worker the panel uses (a fake in tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): void;
  onmessage: ((e: MessageEvent) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
}

export class Panel {
  private state: PanelState;
  private worker: WorkerLike | null = null;
  private readonly header: Header;
  private readonly charts: Charts;
  private readonly report: HTMLElement;
  private readonly runs: RunsView;
  private readonly predictionView: PredictionView;
  /** Predict on a file: the extension's last word on it (not persisted: a reload forgets it). */
  private prediction: PredictionState = null;
  private readonly tools: ChartTools;
  private drawQueued = false;
  private reportDrawnFor: RunSnapshot['classes'] | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly vscode: VsCodeApi,
    private readonly makeWorker: () => Promise<WorkerLike>,
  ) {
    this.state = fromPersisted(vscode.getState(), initialState());
    this.header = new Header(root, { stop: () => this.userStop(), togglePause: () => this.userTogglePause(), exportRun: () => this.userExport(), switchBackend: () => this.vscode.postMessage({ type: 'request-backend' } satisfies FromPanel),
      trainAgain: () => {
        const s = this.state.snapshot;
        if (s) this.vscode.postMessage({ type: 'request-train-again', runId: s.runId } satisfies FromPanel);
      },
    });
    this.tools = new ChartTools(root, {
      smoothing: (value) => {
        this.apply({ type: 'settings', smoothing: value });
      },
      logScale: (on) => {
        this.charts.setLogScale(on);
        this.drawAll();
      },
    });
    const charts = document.createElement('div');
    charts.className = 'ns-charts';
    root.appendChild(charts);
    this.charts = new Charts(charts);
    this.report = document.createElement('div');
    this.report.className = 'ns-report';
    root.appendChild(this.report);
    this.predictionView = new PredictionView(root, (m) => vscode.postMessage(m));
    this.runs = new RunsView(root, (m) => vscode.postMessage(m));
    new MutationObserver(() => {
      this.charts.rebuild();
      this.runs.rebuild();
    }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.drawAll();
    vscode.postMessage({ type: 'ready' } satisfies FromPanel);
  }

  /** The current state (tests and the browser check read it). */
  get current(): PanelState {
    return this.state;
  }

  /** A message from the extension. Never throws. */
  async fromExtension(msg: ToPanel): Promise<void> {
    if (!msg || typeof msg !== 'object' || typeof (msg as { type?: unknown }).type !== 'string') return;
    switch (msg.type) {
      case 'start': {
        this.worker?.terminate();
        this.worker = null;
        this.prediction = null;
        this.charts.reset();
        this.apply(msg);
        this.drawAll();
        let worker: WorkerLike;
        try {
          worker = await this.makeWorker();
        } catch (e) {
          this.fromWorker({ type: 'failed', runId: msg.runId, error: { code: 'worker', message: `the training worker could not start: ${e instanceof Error ? e.message : String(e)}` } });
          return;
        }
        this.worker = worker;
        worker.onmessage = (e) => this.fromWorker(e.data as FromPanel);
        worker.onerror = (e) => this.fromWorker({ type: 'failed', runId: msg.runId, error: { code: 'worker', message: `the training worker failed: ${e.message}` } });
        worker.postMessage(msg, transferables(msg));
        return;
      }
      case 'watch':
        this.worker?.terminate();
        this.worker = null;
        this.prediction = null;
        this.charts.reset();
        this.apply(msg);
        this.drawAll();
        return;
      case 'relay':
        this.apply(msg);
        if (msg.event?.type === 'epoch' || msg.event?.type === 'finished' || msg.event?.type === 'failed') this.save();
        return;
      case 'stop':
      case 'pause':
      case 'resume':
        this.worker?.postMessage({ type: msg.type });
        this.apply(msg);
        return;
      case 'restore':
        this.charts.reset();
        this.apply(msg);
        this.save();
        this.drawAll();
        return;
      case 'settings':
        this.apply(msg);
        this.drawAll();
        return;
      case 'runs':
        this.runs.setRuns(msg.runs);
        return;
      case 'run-curves':
        this.runs.setCurves(msg.curves);
        return;
      case 'prediction':
        this.prediction = msg;
        this.queueDraw();
        return;
    }
  }

  /** A message from the worker: reduce, redraw, relay to the extension. */
  fromWorker(msg: FromPanel): void {
    if (!msg || typeof msg !== 'object') return;
    this.apply(msg);
    if (msg.type === 'finished') {
      const own = this.state.snapshot;
      this.vscode.postMessage(own && own.runId === msg.runId ? { ...msg, snapshot: own } : msg);
    } else {
      this.vscode.postMessage(msg);
    }
    if (msg.type === 'epoch' || msg.type === 'finished' || msg.type === 'failed') this.save();
    if (msg.type === 'finished' || msg.type === 'failed') {
      this.worker?.terminate();
      this.worker = null;
    }
  }

  private apply(msg: Parameters<typeof reduce>[1]): void {
    this.state = reduce(this.state, msg, performance.now());
    this.queueDraw();
  }

  private save(): void {
    try {
      this.vscode.setState(persisted(this.state));
    } catch {
      // A state the host cannot store only costs the restore after a reload.
    }
  }

  private userStop(): void {
    this.worker?.postMessage({ type: 'stop' });
    this.vscode.postMessage({ type: 'request-stop' } satisfies FromPanel);
  }

  private userExport(): void {
    const request = exportRequest(this.state.snapshot);
    if (request) this.vscode.postMessage(request satisfies FromPanel);
  }

  private userTogglePause(): void {
    const paused = this.state.snapshot?.status === 'paused';
    const cmd = paused ? 'resume' : 'pause';
    this.worker?.postMessage({ type: cmd });
    this.apply({ type: cmd });
    this.vscode.postMessage({ type: paused ? 'request-resume' : 'request-pause' } satisfies FromPanel);
  }

  /** Redraws at most once a frame, however many messages arrive. */
  private queueDraw(): void {
    if (this.drawQueued) return;
    this.drawQueued = true;
    const draw = () => {
      this.drawQueued = false;
      this.drawAll();
    };
    if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') requestAnimationFrame(draw);
    else setTimeout(draw, 16);
  }

  private drawAll(): void {
    const s = this.state.snapshot;
    this.header.update(this.state, performance.now());
    this.charts.setSteps(s?.steps ?? [], this.state.smoothing);
    this.tools.show(this.state.smoothing);
    this.charts.setEpochs(s?.epochs ?? [], partialEpochOf(this.state));
    if (this.reportDrawnFor !== (s?.classes ?? null) || !s) {
      renderReport(this.report, s?.classes, s?.samples);
      this.reportDrawnFor = s?.classes ?? null;
    }
    this.predictionView.update(s, this.prediction);
    this.root.dataset.status = s?.status ?? 'idle';
    if (this.state.firstStepAt !== null && this.state.startedAt !== null) this.root.dataset.firstPointMs = String(Math.round(this.state.firstStepAt - this.state.startedAt));
  }
}

/** The distinct buffers of a start message's files, to move them to the worker without a copy. */
export function transferables(msg: ToPanel): ArrayBuffer[] {
  if (msg.type !== 'start') return [];
  const seen = new Set<ArrayBuffer>();
  for (const f of msg.files ?? []) {
    const b = f.bytes?.buffer;
    if (b instanceof ArrayBuffer && b.byteLength > 0) seen.add(b);
  }
  return [...seen];
}
