// The Train Model command end to end: find the document and the model, ask the server for
// the IR and the lowered train block, refuse what cannot be trained (errors, no data, an
// untrusted workspace), confirm any data outside the workspace, read the data files, and
// start the run in the training panel. It resolves with the run's outcome (the test hook:
// the e2e suite awaits `executeCommand('netspec.train', ...)`), and never throws for user input.

import * as path from 'node:path';
import { DiagnosticSeverity, ProgressLocation, Uri, commands, languages, window, workspace, type LogOutputChannel } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ToPanel } from '../../webview/protocol';
import { dataEntries, outsideFolders, readDataFiles } from './data_files';
import { workspaceDataFs, workspaceWriteFs } from './fs_adapters';
import type { PanelHost } from './panel_host';
import { HostRunner, forkTrainChild } from './host_runner';
import { modelRunsFolder, runFolderName } from '../../engine/catalog/run_record';
import { RunRecording } from './run_recording';
import { RunRouter } from './run_router';
import { nodeRunFs, runsRoot } from './runs_store';
import { settingsToTrainOverrides } from './rerun_plan';
import { RunSession, finalMetrics, type RunOutcome } from './run_session';
import { stoppedProgress } from './run_summary';
import { readSettings } from './settings';
import type { TrainingStatus } from './status_bar';
import { chooseModel, describeFailure, newRunId, parseTrainArgs, refusal, type ModelIRResponse } from './train_plan';
import { weightsPath, writeWeights } from './weights_writer';

export const MODEL_IR_REQUEST = 'netspec/modelIR';

/** Places that declined a hardware-only attempt in this window, and why (run_router.ts). */
const hardwareDeclines = new Map<'panel' | 'host', string>();

/** How long a new panel may take to load its script before the run is given up. */
export const PANEL_READY_TIMEOUT_MS = 60_000;

export interface TrainDeps {
  client: () => LanguageClient | undefined;
  /** The bundled training process (dist/train_child.js) that runs in the extension host. */
  childScript: string;
  host: PanelHost;
  status: TrainingStatus;
  output: LogOutputChannel;
  /** Remembers the last outcome (the extension's test API reads it). */
  remember(outcome: RunOutcome): void;
}

function say(kind: 'error' | 'warn' | 'info', message: string, ...items: string[]): Thenable<string | undefined> {
  const text = `Netspec: ${message}`;
  return kind === 'error' ? window.showErrorMessage(text, ...items) : kind === 'warn' ? window.showWarningMessage(text, ...items) : window.showInformationMessage(text, ...items);
}

/** Refuses with a message; a button that opens the Problems panel when the model has errors. */
function refuse(message: string): undefined {
  const problems = /has errors/.test(message);
  void say('error', message, ...(problems ? ['Show Problems'] : [])).then((pick) => {
    if (pick === 'Show Problems') void commands.executeCommand('workbench.actions.view.problems');
  });
  return undefined;
}

export async function trainCommand(deps: TrainDeps, arg?: unknown): Promise<RunOutcome | undefined> {
  try {
    return await train(deps, arg);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    deps.output.error(`Train Model failed: ${message}`);
    return refuse(`training could not start: ${message}`);
  }
}

async function train(deps: TrainDeps, arg: unknown): Promise<RunOutcome | undefined> {
  const requestedAt = Date.now();
  if (!workspace.isTrusted) {
    void say('warn', 'training reads local data files and is disabled in an untrusted workspace. Trust the workspace to train.', 'Manage Workspace Trust').then(
      (pick) => pick && commands.executeCommand('workbench.trust.manage'),
    );
    return undefined;
  }
  const running = deps.host.current?.current;
  if (running) {
    const pick = await say('warn', `${running.snapshot.model} is still training; stop it before starting another run.`, 'Stop Training');
    if (pick === 'Stop Training') deps.host.current?.stop();
    return undefined;
  }
  const args = parseTrainArgs(arg);
  // A Re-run's refusals name the run, so the user knows which request failed.
  const rerun = args.rerun;
  const fail = (message: string) => refuse(rerun ? `the run "${rerun.name}" of ${args.model ?? 'the model'} cannot be re-run: ${message}` : message);
  const active = window.activeTextEditor?.document;
  const uriText = args.uri ?? (active?.languageId === 'netspec' ? active.uri.toString() : undefined);
  if (!uriText) return fail('open a .netspec file with a train block to train a model.');
  const uri = Uri.parse(uriText);
  if (uri.scheme !== 'file') return fail(`training needs a model saved on disk (its data paths are relative to the file), not ${uri.scheme}: documents.`);
  // The server answers only for open documents.
  const doc = await workspace.openTextDocument(uri);
  const client = deps.client();
  if (!client) return fail('the language server is not running; see the Netspec output channel.');

  const first = await client.sendRequest<ModelIRResponse>(MODEL_IR_REQUEST, { uri: doc.uri.toString(), model: args.model });
  const choice = chooseModel(args.model, first);
  if ('error' in choice) return fail(choice.error);
  let model: string;
  if ('choices' in choice) {
    const picked = await window.showQuickPick(choice.choices, { placeHolder: 'Which model do you want to train?' });
    if (!picked) return undefined;
    model = picked;
  } else model = choice.model;
  const response = model === args.model ? first : await client.sendRequest<ModelIRResponse>(MODEL_IR_REQUEST, { uri: doc.uri.toString(), model });
  const why = refusal(model, response);
  if (why) return fail(why);
  const errors = languages.getDiagnostics(doc.uri).filter((d) => d.severity === DiagnosticSeverity.Error);
  if (errors.length > 0) {
    return fail(`${path.basename(uri.fsPath)} has errors (${errors[0].message.split('\n')[0]}); fix them first (see the Problems panel)`);
  }
  const ir = response.ir!;
  let trainIR = response.train!;
  if (rerun) {
    const again = settingsToTrainOverrides(rerun.settings, trainIR);
    if ('problem' in again) return fail(again.problem);
    trainIR = again.train;
    deps.output.info(`${model}: re-running "${rerun.name}" (${rerun.id}) with its recorded settings`);
  }

  // Data: confirm anything outside the workspace, then read it all.
  const entries = dataEntries(trainIR);
  const folders = (workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const outside = outsideFolders(entries, folders);
  if (outside.length > 0) {
    const list = outside.map((e) => e.path).join('\n');
    const ok = await window.showWarningMessage(
      `Netspec: training ${model} reads ${outside.length === 1 ? 'a path' : 'paths'} outside the workspace:\n${list}\nRead ${outside.length === 1 ? 'it' : 'them'}?`,
      { modal: true },
      'Read and Train',
    );
    if (ok !== 'Read and Train') return undefined;
  }
  const read = await window.withProgress(
    { location: ProgressLocation.Window, title: `Netspec: reading the data of ${model}` },
    () => readDataFiles(entries, workspaceDataFs),
  );
  if (!read.ok) return fail(read.message);
  deps.output.info(`${model}: read ${read.files.length} data file(s), ${(read.bytes / 1024).toFixed(0)} KiB`);

  const settings = readSettings(workspace.getConfiguration('netspec', doc.uri));
  const folder = workspace.getWorkspaceFolder(doc.uri);
  const target = weightsPath(uri.fsPath, model, settings.weightsFolder, folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined);
  const runId = newRunId();
  const workspaceRoot = folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
  const recording = RunRecording.start({
    fs: nodeRunFs,
    folder: path.join(modelRunsFolder(runsRoot(uri.fsPath, settings.runsFolder, workspaceRoot), model), runFolderName(new Date(), runId.slice(-6))),
    id: runId,
    model,
    source: uri.fsPath,
    train: trainIR,
    ...(rerun ? { rerunOf: rerun.id } : {}),
    onError: (message) => deps.output.warn(message),
  });
  const session = new RunSession(runId, model, doc.uri.toString(), trainIR.epochs, target, {
    log: (level, line) => deps.output[level](line),
    status: (s) => deps.status.update(s),
    writeWeights: (bytes) => writeWeights(target, bytes, workspaceWriteFs),
    save: (snapshot) => deps.host.saveSnapshot(snapshot),
  }, requestedAt);
  void commands.executeCommand('setContext', 'netspec.training', true);
  const start: ToPanel & { type: 'start' } = {
    type: 'start',
    runId,
    model,
    sourceUri: doc.uri.toString(),
    ir,
    train: trainIR,
    files: read.files,
    backend: 'auto',
    smoothing: settings.chartSmoothing,
  };
  const channel = deps.host.ensure(`Netspec: ${model}`);
  channel.smoothing = settings.chartSmoothing;
  channel.relayedSteps = 0;
  deps.output.info(`${model}: starting (backend setting: ${settings.backend}); weights go to ${target}`);
  const log = (level: 'info' | 'warn' | 'error', line: string) => deps.output[level](line);
  const router = new RunRouter(session, start, settings.backend, {
    channel,
    log,
    observe: (m) => recording.observe(m),
    declines: hardwareDeclines,
    spawn: (hooks) => {
      const runner = new HostRunner(forkTrainChild(deps.childScript), hooks);
      log('info', `${model}: training process started in the extension host (pid ${runner.pid})`);
      return runner;
    },
  });
  router.begin();
  const readyTimer = setTimeout(() => {
    if (!channel.isReady) void session.abort(`the training panel did not load within ${PANEL_READY_TIMEOUT_MS / 1000} s`);
  }, PANEL_READY_TIMEOUT_MS);

  const outcome = await session.done;
  clearTimeout(readyTimer);
  await recording.end(outcome);
  outcome.panelSteps = channel.relayedSteps;
  outcome.runFolder = recording.writer.folder;
  deps.output.info(`${model}: run recorded in ${recording.writer.folder}`);
  deps.host.current?.runsChanged();
  void commands.executeCommand('setContext', 'netspec.training', false);
  deps.remember(outcome);
  notify(outcome, deps);
  return outcome;
}

/** The end-of-run notification (not awaited: the command resolves without waiting for a click). */
function notify(o: RunOutcome, deps: TrainDeps): void {
  const s = o.snapshot;
  const weights = o.weightsWrites > 0 ? ` Weights: ${o.weightsPath}.` : o.weightsError ? ` ${o.weightsError}.` : '';
  const thenShow = (pick: string | undefined) => {
    if (pick === 'Show Panel') deps.host.reveal();
  };
  if (s.status === 'finished') {
    const how = o.stopped === 'early-stopping' ? ' (early stopping)' : '';
    void say('info', `${s.model} trained${how}: ${finalMetrics(s)}.${weights}`, 'Show Panel').then(thenShow);
  } else if (s.status === 'failed') {
    void say('error', `training ${s.model} failed: ${describeFailure(s)}`, 'Show Panel').then(thenShow);
  } else {
    const why = (s.error as { message?: string } | undefined)?.message;
    const none = o.weightsWrites === 0 && !o.weightsError ? ' No epoch finished, so no weights were saved.' : '';
    void say('warn', `training ${s.model} stopped ${stoppedProgress(s.epochs.length, o.lastStep)}${why ? ` (${why})` : ''}.${weights}${none}`, 'Show Panel').then(thenShow);
  }
}
