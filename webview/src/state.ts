// The panel's state as a pure reducer over the messages it sees: the extension's (start,
// pause, restore, settings...) and the worker's (backend, step, epoch, finished, failed).
// The DOM is redrawn from this state alone, and the state is what the panel persists with
// `setState`, so a reloaded panel redraws the same run. Time comes in as an argument, which
// keeps the reducer deterministic for tests.

import type { FromPanel, MemoryUsage, RunSnapshot, ToPanel } from '../protocol';
import type { StepEvent } from '../../engine/src/train/types';
import { trainSummary } from './runs';
import { appendCapped, globalStep, measuredEta, partialEpoch, STEP_POINT_CAP } from './series';

export interface PanelState {
  snapshot: RunSnapshot | null;
  /** Epochs the train block asked for (the progress bar's end; early stopping may end sooner). */
  totalEpochs: number;
  /** Steps per epoch, known from the first step event. */
  stepsPerEpoch: number;
  /** The last step event, for the progress line. */
  lastStep: StepEvent | null;
  /** The memory in use at the last step that said (the header's memory line). */
  memory: MemoryUsage | null;
  /** When the run started and when its first step arrived (ms, the caller's clock). */
  startedAt: number | null;
  firstStepAt: number | null;
  /** The global step of the first step event (the ETA measures from there). */
  firstStepDone: number;
  /** Time spent paused since the first step (ms), and when the current pause began. */
  pausedMs: number;
  pausedAt: number | null;
  /** The run's settings in one line (the header shows them), and when the run ended (ms). */
  settingsLine: string;
  endedAt: number | null;
  /** The EMA weight of the step-loss chart, in [0, 1). */
  smoothing: number;
  /** The cap on kept step points. */
  stepCap: number;
}

/** What `setState` stores: everything needed to redraw, versioned so old states are ignored. */
export interface PersistedState {
  version: 1;
  snapshot: RunSnapshot | null;
  totalEpochs: number;
  stepsPerEpoch: number;
  smoothing: number;
}

const FRESH_CLOCK = { firstStepDone: 0, pausedMs: 0, pausedAt: null, endedAt: null } as const;

/** A message the reducer understands: from the extension, or from the worker. */
export type PanelEvent = ToPanel | FromPanel;

export function initialState(smoothing = 0.6, stepCap = STEP_POINT_CAP): PanelState {
  return { snapshot: null, totalEpochs: 0, stepsPerEpoch: 0, lastStep: null, memory: null, startedAt: null, firstStepAt: null, firstStepDone: 0, pausedMs: 0, pausedAt: null, settingsLine: '', endedAt: null, smoothing: clampSmoothing(smoothing), stepCap };
}

export function clampSmoothing(x: unknown): number {
  return typeof x === 'number' && Number.isFinite(x) ? Math.min(Math.max(x, 0), 0.99) : 0.6;
}

/** True for a message that belongs to another run than the one shown (a late event of an old run). */
function stale(state: PanelState, runId: string): boolean {
  return state.snapshot === null || state.snapshot.runId !== runId;
}

/** The next state after `msg`, at time `now` (ms). Never throws; unknown messages change nothing. */
export function reduce(state: PanelState, msg: PanelEvent, now: number): PanelState {
  switch (msg.type) {
    case 'start':
      return {
        ...state,
        snapshot: { runId: msg.runId, model: msg.model, sourceUri: msg.sourceUri, backend: null, steps: [], epochs: [], status: 'running' },
        totalEpochs: msg.train?.epochs ?? 0,
        settingsLine: msg.train ? trainSummary(msg.train) : '',
        stepsPerEpoch: 0,
        lastStep: null, memory: null,
        startedAt: now,
        firstStepAt: null,
        smoothing: clampSmoothing(msg.smoothing),
      };
    case 'watch': {
      const base: RunSnapshot = { runId: msg.runId, model: msg.model, sourceUri: msg.sourceUri, backend: null, steps: [], epochs: [], status: 'running' };
      const soFar = isSnapshot(msg.snapshot) && msg.snapshot.runId === msg.runId ? msg.snapshot : null;
      return {
        ...state,
        snapshot: soFar ? { ...soFar, steps: soFar.steps.slice(), epochs: soFar.epochs.slice() } : base,
        totalEpochs: msg.epochs ?? 0,
        settingsLine: typeof msg.settings === 'string' ? msg.settings : '',
        stepsPerEpoch: 0,
        lastStep: null, memory: null,
        startedAt: now,
        firstStepAt: null,
        ...FRESH_CLOCK,
        smoothing: clampSmoothing(msg.smoothing),
      };
    }
    case 'relay':
      // A message of a run trained in the extension host, as if the panel's worker said it.
      return msg.event && typeof msg.event === 'object' && (msg.event as { type?: unknown }).type !== 'relay' ? reduce(state, msg.event, now) : state;
    case 'settings':
      return { ...state, smoothing: clampSmoothing(msg.smoothing) };
    case 'restore':
      return restoreSnapshot(state, msg.snapshot);
    case 'pause':
    case 'resume': {
      const s = state.snapshot;
      if (!s || (s.status !== 'running' && s.status !== 'paused')) return state;
      const clock =
        msg.type === 'pause'
          ? { pausedAt: state.pausedAt ?? now }
          : { pausedAt: null, pausedMs: state.pausedMs + (state.pausedAt !== null ? now - state.pausedAt : 0) };
      return { ...state, ...clock, snapshot: { ...s, status: msg.type === 'pause' ? 'paused' : 'running' } };
    }
    case 'backend':
      if (stale(state, msg.runId)) return state;
      return { ...state, snapshot: { ...state.snapshot!, backend: msg.info } };
    case 'step': {
      if (stale(state, msg.runId)) return state;
      const e = msg.event;
      const steps = state.snapshot!.steps.slice();
      for (const p of msg.earlier ?? []) appendCapped(steps, { step: globalStep(p.epoch, p.step, e.stepsPerEpoch), loss: p.loss }, state.stepCap);
      appendCapped(steps, { step: globalStep(e.epoch, e.step, e.stepsPerEpoch), loss: e.loss }, state.stepCap);
      const first = state.firstStepAt === null;
      return {
        ...state,
        snapshot: { ...state.snapshot!, steps },
        lastStep: e,
        memory: msg.memory ?? state.memory,
        stepsPerEpoch: e.stepsPerEpoch,
        firstStepAt: first ? now : state.firstStepAt,
        firstStepDone: first ? globalStep(e.epoch, e.step, e.stepsPerEpoch) : state.firstStepDone,
        pausedMs: first ? 0 : state.pausedMs,
      };
    }
    case 'epoch': {
      if (stale(state, msg.runId)) return state;
      const epochs = state.snapshot!.epochs.filter((x) => x.epoch !== msg.event.epoch);
      epochs.push(msg.event);
      epochs.sort((a, b) => a.epoch - b.epoch);
      return { ...state, snapshot: { ...state.snapshot!, epochs } };
    }
    case 'finished': {
      if (stale(state, msg.runId)) return state;
      const s = state.snapshot!;
      const status = msg.stopped === 'cancelled' ? 'stopped' : 'finished';
      // The worker's snapshot carries the report; the step history is the panel's own.
      const epochs = msg.snapshot.epochs.length >= s.epochs.length ? msg.snapshot.epochs : s.epochs;
      return { ...state, endedAt: now, snapshot: { ...s, status, epochs, backend: s.backend ?? msg.snapshot.backend, classes: msg.snapshot.classes, samples: msg.snapshot.samples } };
    }
    case 'failed':
      if (stale(state, msg.runId)) return state;
      return { ...state, endedAt: now, snapshot: { ...state.snapshot!, status: 'failed', error: msg.error } };
    default:
      return state;
  }
}

/** A state showing `snapshot` (from the extension or from `getState`), checked for shape. */
export function restoreSnapshot(state: PanelState, snapshot: unknown, extra: Partial<PersistedState> = {}): PanelState {
  if (!isSnapshot(snapshot)) return state;
  const epochsSeen = snapshot.epochs.reduce((m, e) => Math.max(m, e.epoch), 0);
  // A run that was live when the panel went away cannot be resumed: its worker went with it.
  const status = snapshot.status === 'running' || snapshot.status === 'paused' ? 'stopped' : snapshot.status;
  return {
    ...state,
    snapshot: { ...snapshot, status },
    totalEpochs: Math.max(extra.totalEpochs ?? 0, epochsSeen),
    stepsPerEpoch: extra.stepsPerEpoch ?? state.stepsPerEpoch,
    smoothing: extra.smoothing !== undefined ? clampSmoothing(extra.smoothing) : state.smoothing,
    lastStep: null, memory: null,
    startedAt: null,
    firstStepAt: null,
    ...FRESH_CLOCK,
  };
}

/** What the panel stores with `setState`. */
export function persisted(state: PanelState): PersistedState {
  return { version: 1, snapshot: state.snapshot, totalEpochs: state.totalEpochs, stepsPerEpoch: state.stepsPerEpoch, smoothing: state.smoothing };
}

/** The state from what `getState` returned, or the initial state when it is absent or foreign. */
export function fromPersisted(saved: unknown, base: PanelState = initialState()): PanelState {
  const p = saved as Partial<PersistedState> | null | undefined;
  if (!p || typeof p !== 'object' || p.version !== 1) return base;
  return restoreSnapshot(base, p.snapshot, p);
}

function isSnapshot(x: unknown): x is RunSnapshot {
  const s = x as Partial<RunSnapshot> | null;
  return (
    !!s &&
    typeof s === 'object' &&
    typeof s.runId === 'string' &&
    typeof s.model === 'string' &&
    Array.isArray(s.steps) &&
    Array.isArray(s.epochs) &&
    typeof s.status === 'string'
  );
}

/** Seconds left for a running run, from the pace since its first step with pauses taken out; null until measured. */
export function etaOf(state: PanelState, now: number): number | null {
  if (state.snapshot?.status !== 'running' || state.firstStepAt === null) return null;
  const { done, total } = stepsDone(state);
  const paused = state.pausedMs + (state.pausedAt !== null ? now - state.pausedAt : 0);
  return measuredEta(now - state.firstStepAt - paused, done - state.firstStepDone, total - done);
}

/** The epoch in progress as a point for the epoch chart (series.ts partialEpoch), while no finished run hides it. */
export function partialEpochOf(state: PanelState): { x: number; loss: number } | null {
  const s = state.snapshot;
  const e = state.lastStep;
  if (!s || !e || s.status === 'finished') return null;
  return partialEpoch(s.steps, e.stepsPerEpoch, e.epoch, e.step, s.epochs.reduce((m, x) => Math.max(m, x.epoch), 0));
}

/** Seconds since the run started (frozen at its end), paused time included; null without a start. */
export function elapsedOf(state: PanelState, now: number): number | null {
  if (state.startedAt === null) return null;
  return ((state.endedAt ?? now) - state.startedAt) / 1000;
}

/** The last epoch's metrics, validation first ("val_loss 0.21 · val_accuracy 0.95 · loss 0.1"), once a run has ended. */
export function finalMetricsLine(state: PanelState): string {
  const s = state.snapshot;
  const last = s?.epochs.at(-1);
  if (!s || !last || s.status === 'running' || s.status === 'paused') return '';
  const entries = Object.entries(last.metrics ?? {}).sort((a, b) => Number(b[0].startsWith('val_')) - Number(a[0].startsWith('val_')));
  return entries.map(([k, v]) => `${k} ${Number.isFinite(v) ? Number(v.toPrecision(4)) : v}`).join(' · ');
}

/** Steps done and planned, for the progress bar and ETA. */
export function stepsDone(state: PanelState): { done: number; total: number } {
  const s = state.snapshot;
  if (!s) return { done: 0, total: 0 };
  const spe = state.stepsPerEpoch;
  const total = state.totalEpochs * spe;
  if (s.status === 'finished') return { done: total, total };
  const e = state.lastStep;
  const done = e ? globalStep(e.epoch, e.step, e.stepsPerEpoch) : s.epochs.length * spe;
  return { done, total };
}
