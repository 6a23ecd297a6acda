// The decisions of the Export Model command that need no editor: the formats it offers, what
// its argument means (the panel's Export button passes `{uri, model, weights}`; `format` and
// `out` skip those questions too), the questions it asks in order (planExport, with the UI
// injected), the default output folder, the `netspec export` command line, running the
// bundled CLI in a child process (Node, or VS Code's own binary with ELECTRON_RUN_AS_NODE=1)
// with cancellation, and reading its `--json` answer or its error. The client never imports the engine: exporting
// happens in the CLI process. export_command.ts does the talking to VS Code.

import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** The command id (package.json contributes.commands). */
export const EXPORT_COMMAND = 'netspec.export';

/** The formats, in engine/src/export/types.ts's EXPORT_FORMATS order (a unit test keeps them equal). */
export const EXPORT_FORMAT_CHOICES: readonly { format: string; label: string; detail: string }[] = [
  { format: 'onnx', label: 'ONNX', detail: 'model.onnx for ONNX Runtime and most inference engines' },
  { format: 'pytorch', label: 'PyTorch', detail: 'a Python package with an nn.Module and its state dict' },
  { format: 'tfjs', label: 'TensorFlow.js', detail: 'model.json + weights.bin for tf.loadLayersModel and tensorflowjs_converter' },
  { format: 'keras', label: 'Keras', detail: 'model_keras.py (Keras 3) and weights.safetensors' },
];

export interface ExportArgs {
  uri?: string;
  model?: string;
  /** A weights file (absolute path); absent means the command asks or uses the default. */
  weights?: string;
  format?: string;
  /** The output folder (absolute path); absent means the command asks (default `<Model>-<format>`). */
  out?: string;
}

/** Reads the command's argument: `{uri, model, weights, format}`, a Uri, a URI string, or nothing. */
export function parseExportArgs(arg: unknown): ExportArgs {
  if (typeof arg === 'string') return { uri: arg };
  if (typeof arg !== 'object' || arg === null) return {};
  const o = arg as Record<string, unknown>;
  if (typeof o.scheme === 'string' && typeof o.toString === 'function' && !('uri' in o)) return { uri: String(arg) };
  const out: ExportArgs = {};
  if (typeof o.uri === 'string') out.uri = o.uri;
  else if (typeof o.uri === 'object' && o.uri !== null && typeof (o.uri as { scheme?: unknown }).scheme === 'string') out.uri = String(o.uri);
  for (const key of ['model', 'weights', 'format', 'out'] as const) {
    if (typeof o[key] === 'string' && o[key] !== '') out[key] = o[key] as string;
  }
  return out;
}

/** The CLI's default output folder: `<Model>-<format>` beside the model file. */
export function defaultExportFolder(modelFile: string, model: string, format: string): string {
  return path.join(path.dirname(modelFile), `${model}-${format}`);
}

export interface ExportRequest {
  /** dist/cli.js of the extension. */
  cli: string;
  modelFile: string;
  model: string;
  format: string;
  /** Absent: freshly initialised weights (the CLI says so in its notes). */
  weights?: string;
  out: string;
}

/** The arguments after the executable: `CLI export FILE --format F --model M [--weights W] --out DIR --json`. */
export function exportArgv(r: ExportRequest): string[] {
  return [r.cli, 'export', r.modelFile, '--format', r.format, '--model', r.model, ...(r.weights ? ['--weights', r.weights] : []), '--out', r.out, '--json'];
}

/** The environment of the child: VS Code's binary runs as plain Node with ELECTRON_RUN_AS_NODE. */
export function exportEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...base, ELECTRON_RUN_AS_NODE: '1' };
}

/** What `netspec export --json` prints on success. */
export interface ExportReport {
  format: string;
  model: string;
  out: string;
  trained: boolean;
  bytes: number;
  files: string[];
  notes: string[];
}

export type ExportResult = { ok: true; report: ExportReport } | { ok: false; cancelled?: boolean; message: string };

/**
 * The CLI's answer: exit 0 with one JSON object on stdout, or an error on stderr (the
 * `error:` lines, without the file prefix the editor shows anyway).
 */
export function parseExportResult(status: number | null, stdout: string, stderr: string): ExportResult {
  if (status === 0) {
    const line = stdout.trim().split('\n').pop() ?? '';
    try {
      const r = JSON.parse(line) as Partial<ExportReport>;
      if (typeof r.out === 'string' && Array.isArray(r.files)) {
        return { ok: true, report: { format: String(r.format), model: String(r.model), out: r.out, trained: r.trained === true, bytes: Number(r.bytes) || 0, files: r.files.map(String), notes: Array.isArray(r.notes) ? r.notes.map(String) : [] } };
      }
    } catch {
      // Falls through: not the expected answer.
    }
    return { ok: false, message: `the export command printed an unexpected answer: ${line.slice(0, 200) || '(nothing)'}` };
  }
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => /(^|\s)error(\[[^\]]*\])?:/.test(l)).map((l) => l.replace(/^.*?\berror(\[[^\]]*\])?:\s*/, ''));
  const message = errors.length ? errors.join('; ') : lines.filter((l) => !l.startsWith('usage:')).slice(0, 3).join(' ') || `the export command exited with status ${status ?? 'unknown'}`;
  return { ok: false, message };
}

export interface RunOptions {
  /** The executable: process.execPath (Node, or VS Code's binary). */
  execPath: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborting kills the child; the result is then `{ok: false, cancelled: true}`. */
  signal?: AbortSignal;
}

/** Runs `netspec export` in a child process and reads its answer. Never rejects. */
export function runExportCli(request: ExportRequest, options: RunOptions): Promise<ExportResult> {
  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve({ ok: false, cancelled: true, message: 'the export was cancelled' });
      return;
    }
    let stdout = '';
    let stderr = '';
    let settled = false;
    const done = (r: ExportResult) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const child = spawn(options.execPath, exportArgv(request), { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const onAbort = () => {
      child.kill();
      done({ ok: false, cancelled: true, message: 'the export was cancelled' });
    };
    options.signal?.addEventListener('abort', onAbort);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e) => done({ ok: false, message: `the export command could not start: ${e.message}` }));
    child.on('close', (status) => done(parseExportResult(status, stdout, stderr)));
  });
}

/** A quick-pick item with the choice it stands for. */
export interface Choice<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
}

/** The questions Export Model asks, answered by VS Code's UI (export_command.ts) or a test. */
export interface ExportUi {
  /** The models of the file, from the language server, or why there are none to ask about. */
  models(): Promise<string[] | { error: string }>;
  /** A quick pick; undefined when dismissed. */
  pick<T>(items: Choice<T>[], placeHolder: string): Promise<T | undefined>;
  /** An open dialog for one `.safetensors` file; undefined when dismissed. */
  pickWeightsFile(defaultFolder: string): Promise<string | undefined>;
  /** An open dialog for one folder; undefined when dismissed. */
  pickFolder(defaultFolder: string): Promise<string | undefined>;
  exists(p: string): Promise<boolean>;
}

export interface PlanContext {
  cli: string;
  modelFile: string;
  /** Where training writes `model`'s weights (the `netspec.weightsFolder` setting applied). */
  weightsFileOf(model: string): string;
}

/**
 * The questions, each skipped when the argument answers it: the model (when the file has
 * several), the format, the weights (the trained file where training writes it, if present;
 * another file; or fresh ones) and the output folder (`<Model>-<format>` beside the model, or
 * inside a folder the user picks). The request to run, `{error}` when there is nothing to
 * export, or undefined when the user dismissed a question.
 */
export async function planExport(args: ExportArgs, ui: ExportUi, ctx: PlanContext): Promise<ExportRequest | { error: string } | undefined> {
  let model = args.model;
  if (!model) {
    const names = await ui.models();
    if (!Array.isArray(names)) return names;
    if (names.length === 0) return { error: `${path.basename(ctx.modelFile)} has no model to export` };
    model = names.length === 1 ? names[0] : await ui.pick(names.map((n) => ({ label: n, value: n })), 'Which model do you want to export?');
    if (!model) return undefined;
  }

  const format = args.format ?? (await ui.pick(EXPORT_FORMAT_CHOICES.map((c) => ({ label: c.label, description: c.format, detail: c.detail, value: c.format })), `Export ${model} as`));
  if (!format) return undefined;

  let weights = args.weights;
  if (!weights) {
    const standard = ctx.weightsFileOf(model);
    const items: Choice<'default' | 'other' | 'fresh'>[] = [];
    if (await ui.exists(standard)) items.push({ label: `Trained weights: ${path.basename(standard)}`, detail: standard, value: 'default' });
    items.push({ label: 'Another weights file…', value: 'other' });
    items.push({ label: 'Freshly initialised weights (untrained)', detail: "from the train block's seed", value: 'fresh' });
    const choice = await ui.pick(items, `Which weights does the export of ${model} carry?`);
    if (!choice) return undefined;
    if (choice === 'default') weights = standard;
    else if (choice === 'other') {
      weights = await ui.pickWeightsFile(path.dirname(standard));
      if (!weights) return undefined;
    }
  }

  const standardOut = defaultExportFolder(ctx.modelFile, model, format);
  let out = args.out;
  if (!out) {
    const replaces = await ui.exists(standardOut);
    const where = await ui.pick<'default' | 'other'>(
      [
        { label: `Export to ${path.basename(standardOut)}`, detail: `${standardOut}${replaces ? ' (replaces the folder)' : ''}`, value: 'default' },
        { label: 'Choose a parent folder…', detail: `the export goes into ${path.basename(standardOut)} inside it`, value: 'other' },
      ],
      'Where do the exported files go?',
    );
    if (!where) return undefined;
    if (where === 'default') out = standardOut;
    else {
      const parent = await ui.pickFolder(path.dirname(ctx.modelFile));
      if (!parent) return undefined;
      out = path.join(parent, path.basename(standardOut));
    }
  }
  return { cli: ctx.cli, modelFile: ctx.modelFile, model, format, ...(weights ? { weights } : {}), out };
}
