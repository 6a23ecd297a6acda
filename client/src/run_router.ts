// Takes one run to where it trains: the places `backend_plan.ts` lists for the setting, tried
// in order until one accepts. A panel attempt is a `start` to the panel's worker; a host
// attempt forks the training process (host_runner.ts), sends it the same `start`, hands its
// messages to the RunSession and relays them to the panel, which draws them. A place that
// declines (no hardware adapter) passes the run on to the next; the `backend` message gets
// the reason for the place chosen. A child that dies mid-run fails the run with a clear
// message; the weights of the last finished epoch are already on disk, written atomically.

import type { BackendChoice, FromPanel, ToPanel } from '../../webview/protocol';
import { trainSummary } from '../../webview/src/runs';
import { attemptsFor, explainChoice, type Attempt, type Decline } from './backend_plan';
import type { HostRunHooks } from './host_runner';
import type { RunRoute } from './panel_channel';
import type { RunSession } from './run_session';

type StartMessage = ToPanel & { type: 'start' };

/** The part of PanelChannel the router drives. */
export interface ChannelLike {
  start(session: RunSession, message: StartMessage, route: RunRoute): void;
  watch(session: RunSession, message: ToPanel & { type: 'watch' }, route: RunRoute): void;
  relay(event: FromPanel): void;
}

/** The part of HostRunner the router drives. */
export interface RunnerLike {
  send(msg: ToPanel | { type: 'stop' | 'pause' | 'resume' }): void;
  end(): void;
}

export interface RouterDeps {
  channel: ChannelLike;
  /** Starts a training process in the extension host. */
  spawn(hooks: HostRunHooks): RunnerLike;
  log(level: 'info' | 'warn' | 'error', line: string): void;
  /** Sees every message of the run, wherever it trains (the run's record). */
  observe?(msg: FromPanel): void;
  /**
   * Why each place declined a hardware-only attempt earlier in this window. Acquiring an
   * adapter only to refuse it costs seconds (Dawn starts Vulkan, the panel its worker), and
   * adapters do not come and go while the editor runs, so later `auto` runs skip straight on.
   */
  declines?: Map<Attempt['place'], string>;
}

export class RunRouter {
  private readonly attempts: Attempt[];
  private readonly declines: Decline[] = [];
  private runner: RunnerLike | undefined;
  /**
   * The host's process after it declined a hardware-only attempt: kept (its engine is
   * loaded, so no second start-up) for the host's CPU attempt should the panel decline too.
   */
  private spare: RunnerLike | undefined;
  private index = -1;

  constructor(
    private readonly session: RunSession,
    private readonly start: StartMessage,
    private readonly choice: BackendChoice,
    private readonly deps: RouterDeps,
  ) {
    this.attempts = attemptsFor(choice);
    // However the run ends (its end, an abort, a closed panel), its child goes.
    void session.done.then(() => {
      this.runner?.send({ type: 'stop' });
      this.runner?.end();
      this.spare?.end();
    });
  }

  begin(): void {
    this.next();
  }

  private next(): void {
    const attempt = this.attempts[++this.index];
    if (!attempt) return;
    const known = attempt.backend === 'gpu-hardware' ? this.deps.declines?.get(attempt.place) : undefined;
    if (known !== undefined && this.index + 1 < this.attempts.length) {
      this.declines.push({ place: attempt.place, reason: `${known} (found by an earlier run in this window)` });
      this.next();
      return;
    }
    const message: StartMessage = { ...this.start, backend: attempt.backend };
    if (attempt.place === 'panel') {
      this.deps.channel.start(this.session, message, { fromPanel: (m) => this.fromRunner(m, false) });
      return;
    }
    const runner = this.spare ?? this.spawn();
    this.spare = undefined;
    this.runner = runner;
    const { runId, model, sourceUri, smoothing } = this.start;
    const settings = trainSummary(this.start.train);
    this.deps.channel.watch(this.session, { type: 'watch', runId, model, sourceUri, epochs: this.start.train.epochs, smoothing, settings }, { control: (type) => runner.send({ type }) });
    runner.send(message);
  }

  /** A new host process; its messages and its crash count only while it is the run's runner. */
  private spawn(): RunnerLike {
    const self: { runner?: RunnerLike } = {};
    self.runner = this.deps.spawn({
      message: (m) => {
        if (self.runner === this.runner) this.fromRunner(m, true);
      },
      crashed: (why) => {
        if (self.runner === this.runner) this.crashed(why);
        else if (self.runner === this.spare) this.spare = undefined;
      },
    });
    return self.runner;
  }

  private fromRunner(m: FromPanel, relay: boolean): void {
    if (m.type === 'declined') {
      if ('runId' in m && m.runId !== this.session.runId) return;
      this.declined(m.reason);
      return;
    }
    if (m.type === 'backend') {
      // The run found its place: a spare host process is not needed any more.
      this.spare?.end();
      this.spare = undefined;
      const info = { ...m.info, why: explainChoice(this.choice, this.declines) };
      m = { ...m, info };
      // The panel's worker said it without the reason; the panel hears it again with it.
      if (!relay) this.deps.channel.relay(m);
    }
    this.session.handle(m);
    this.deps.observe?.(m);
    if (m.type === 'log') this.deps.log(m.level === 'error' || m.level === 'warn' ? m.level : 'info', `${this.start.model}: ${m.message}`);
    // The panel only draws: weights (possibly megabytes an epoch) and logs stay here.
    if (relay && m.type !== 'weights' && m.type !== 'log') this.deps.channel.relay(m);
  }

  private declined(reason: string): void {
    const attempt = this.attempts[this.index];
    this.declines.push({ place: attempt.place, reason });
    if (attempt.backend === 'gpu-hardware') this.deps.declines?.set(attempt.place, reason);
    this.deps.log('info', `${this.start.model}: not training in ${attempt.place === 'host' ? 'the extension host' : 'the panel'}: ${reason}`);
    if (attempt.place === 'host') {
      this.spare = this.runner;
      this.runner = undefined;
    }
    if (this.index + 1 < this.attempts.length) {
      this.next();
      return;
    }
    this.fail('no-backend', `no place to train with netspec.backend "${this.choice}": ${reason}. Choose another value of netspec.backend.`);
  }

  private crashed(why: string): void {
    const saved = this.session.weightsWritten ? ` The weights of the last finished epoch are in ${this.session.weightsPath}.` : '';
    this.fail('crashed', `${why}.${saved}`);
  }

  private fail(code: string, message: string): void {
    const failed: FromPanel = { type: 'failed', runId: this.session.runId, error: { code, message } };
    this.session.handle(failed);
    this.deps.channel.relay(failed);
  }
}
