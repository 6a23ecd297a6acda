// Predict on a file, from the training panel: ask for a data file (the formats training
// reads), run the bundled CLI's `predict --report` on the run's weights in a child process
// (predict_plan.ts), and tell the panel while it runs, then what came of it. The panel draws
// the first rows and, for a labelled file, the metrics and confusion matrices.

import * as path from 'node:path';
import { Uri, window, workspace } from 'vscode';
import type { ToPanel } from '../../webview/protocol';
import { runPredictCli } from './predict_plan';
import { readSettings } from './settings';
import { weightsPath } from './weights_writer';

export interface PredictTarget {
  runId: string;
  /** A run picked in the runs list: its name, said beside the results. */
  runName?: string;
  /** The model's file (a URI) and name, and the run's weights file when it wrote one. */
  uri: string;
  model: string;
  weights?: string;
}

/** The files `netspec predict --data` reads (engine/src/data/load.ts predictionSource). */
const DATA_FILTERS = { 'Data files': ['csv', 'json', 'npy', 'gz', 'idx', 'idx1-ubyte', 'idx3-ubyte'], 'All files': ['*'] };

/** Never throws: whatever goes wrong reaches the panel as a failed prediction. */
export async function predictForPanel(cli: string, target: PredictTarget, toPanel: (m: ToPanel) => void, log: (line: string) => void): Promise<void> {
  const tag = { runId: target.runId, ...(target.runName !== undefined ? { runName: target.runName } : {}) };
  const send = (m: ToPanel & { type: 'prediction' }) => toPanel({ ...m, ...tag });
  try {
    await predict(cli, target, send, log);
  } catch (e) {
    send({ type: 'prediction', runId: target.runId, state: 'failed', message: e instanceof Error ? e.message : String(e) });
  }
}

async function predict(cli: string, target: PredictTarget, send: (m: ToPanel & { type: 'prediction' }) => void, log: (line: string) => void): Promise<void> {
  const modelFile = Uri.parse(target.uri);
  if (modelFile.scheme !== 'file') {
    send({ type: 'prediction', runId: target.runId, state: 'failed', message: `predicting needs a model saved on disk, not a ${modelFile.scheme}: document` });
    return;
  }
  const settings = readSettings(workspace.getConfiguration('netspec', modelFile));
  const folder = workspace.getWorkspaceFolder(modelFile);
  const weights = target.weights ?? weightsPath(modelFile.fsPath, target.model, settings.weightsFolder, folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined);
  const picked = await window.showOpenDialog({ canSelectMany: false, defaultUri: Uri.file(path.dirname(modelFile.fsPath)), filters: DATA_FILTERS, openLabel: 'Predict on this file', title: `Predict with ${target.model}` });
  const data = picked?.[0]?.fsPath;
  if (!data) return;
  send({ type: 'prediction', runId: target.runId, state: 'running', data: path.basename(data) });
  log(`Predict ${target.model} on ${data} with ${weights}`);
  const result = await runPredictCli({ cli, modelFile: modelFile.fsPath, model: target.model, weights, data }, { execPath: process.execPath, env: process.env, cwd: path.dirname(modelFile.fsPath) });
  if (result.ok) send({ type: 'prediction', runId: target.runId, state: 'done', report: { ...result.report, data: path.basename(data) } });
  else send({ type: 'prediction', runId: target.runId, state: 'failed', message: result.message });
}
