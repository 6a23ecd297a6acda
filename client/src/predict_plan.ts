// Predict on a file, without the editor: the bundled CLI's argument list for
// `predict --report` (the client never imports the engine: the CLI predicts in a child, as
// Export Model does), the check of its answer, and the child itself with cancellation.

import { spawn } from 'node:child_process';
import type { PredictionReport } from '../../webview/protocol';

export interface PredictRequest {
  cli: string;
  /** The .netspec file on disk, the model's name in it, its weights, and the data file. */
  modelFile: string;
  model: string;
  weights: string;
  data: string;
}

export type PredictResult = { ok: true; report: PredictionReport } | { ok: false; cancelled?: boolean; message: string };

export function predictArgv(r: PredictRequest): string[] {
  return [r.cli, 'predict', r.modelFile, '--model', r.model, '--weights', r.weights, '--data', r.data, '--report'];
}

function isReport(v: unknown): v is PredictionReport {
  const r = v as Partial<PredictionReport> | null;
  return !!r && typeof r === 'object' && typeof r.count === 'number' && Array.isArray(r.rows) && Array.isArray(r.classes) && !!r.metrics && typeof r.metrics === 'object';
}

/** The CLI's answer: exit 0 with the report on its last line, or its `error:` lines (with the file they name). */
export function parsePredictResult(status: number | null, stdout: string, stderr: string): PredictResult {
  if (status === 0) {
    try {
      const r: unknown = JSON.parse(stdout.trim().split('\n').pop() ?? '');
      if (isReport(r)) return { ok: true, report: r };
    } catch {
      // Falls through: not the expected answer.
    }
    return { ok: false, message: `the predict command answered something unexpected: ${stdout.trim().slice(0, 200)}` };
  }
  const errors = stderr.split('\n').filter((l) => /error:/.test(l)).map((l) => l.replace(/^netspec predict:\s*/, '').replace(/error:\s*/, ''));
  const why = errors.length ? errors.join('; ') : stderr.trim().split('\n').slice(0, 3).join(' ') || `exit status ${status}`;
  return { ok: false, message: why };
}

export interface PredictRunOptions {
  execPath: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  signal?: AbortSignal;
}

/** Runs the CLI in a child; resolves with its report, its error, or the cancellation. */
export function runPredictCli(request: PredictRequest, options: PredictRunOptions): Promise<PredictResult> {
  return new Promise((resolve) => {
    const cancelled: PredictResult = { ok: false, cancelled: true, message: 'the prediction was cancelled' };
    if (options.signal?.aborted) return resolve(cancelled);
    let stdout = '';
    let stderr = '';
    let settled = false;
    const done = (r: PredictResult) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const child = spawn(options.execPath, predictArgv(request), { env: { ...options.env, ELECTRON_RUN_AS_NODE: '1' }, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const onAbort = () => {
      child.kill();
      done(cancelled);
    };
    options.signal?.addEventListener('abort', onAbort);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e) => done({ ok: false, message: `the predict command could not start: ${e.message}` }));
    child.on('close', (status) => done(parsePredictResult(status, stdout, stderr)));
  });
}
