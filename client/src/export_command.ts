// The Export Model command: pick the model (when the file has several), the format, the
// weights (the run's, `<Model>.safetensors` where training writes it, another file, or fresh
// ones) and the output folder, then run the bundled CLI (`dist/cli.js export ... --json`) in
// a child process with a cancellable progress notification, and report where the files went
// ("Reveal in Explorer", "Open Folder") or the CLI's error. It resolves with the result (the
// e2e suites await `executeCommand('netspec.export', ...)`) and never throws for user input.

import * as path from 'node:path';
import { ProgressLocation, Uri, commands, window, workspace, type ExtensionContext, type LogOutputChannel } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { exportEnv, parseExportArgs, planExport, runExportCli, type ExportResult, type ExportUi } from './export_plan';
import { readSettings } from './settings';
import { MODEL_IR_REQUEST } from './train_command';
import type { ModelIRResponse } from './train_plan';
import { weightsPath } from './weights_writer';

export interface ExportDeps {
  context: ExtensionContext;
  client: () => LanguageClient | undefined;
  output: LogOutputChannel;
}

async function exists(p: string): Promise<boolean> {
  try {
    await workspace.fs.stat(Uri.file(p));
    return true;
  } catch {
    return false;
  }
}

function fail(message: string): ExportResult {
  void window.showErrorMessage(`Netspec: ${message}`);
  return { ok: false, message };
}

export async function exportCommand(deps: ExportDeps, arg?: unknown): Promise<ExportResult | undefined> {
  try {
    return await exportModel(deps, arg);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    deps.output.error(`Export Model failed: ${message}`);
    return fail(`the export could not start: ${message}`);
  }
}

async function exportModel(deps: ExportDeps, arg: unknown): Promise<ExportResult | undefined> {
  const args = parseExportArgs(arg);
  const active = window.activeTextEditor?.document;
  const uriText = args.uri ?? (active?.languageId === 'netspec' ? active.uri.toString() : undefined);
  if (!uriText) return fail('open a .netspec file to export one of its models.');
  const uri = Uri.parse(uriText);
  if (uri.scheme !== 'file') return fail(`exporting needs a model saved on disk, not a ${uri.scheme}: document.`);
  const doc = await workspace.openTextDocument(uri);
  if (doc.isDirty) {
    const pick = await window.showWarningMessage(`Netspec: ${path.basename(uri.fsPath)} has unsaved changes; the export reads the file on disk.`, 'Save and Export');
    if (pick !== 'Save and Export') return undefined;
    if (!(await doc.save())) return fail(`${path.basename(uri.fsPath)} could not be saved.`);
  }

  const settings = readSettings(workspace.getConfiguration('netspec', doc.uri));
  const folder = workspace.getWorkspaceFolder(doc.uri);
  const ui: ExportUi = {
    async models() {
      const client = deps.client();
      if (!client) return { error: 'the language server is not running; see the Netspec output channel.' };
      const response = await client.sendRequest<ModelIRResponse>(MODEL_IR_REQUEST, { uri: doc.uri.toString() });
      return response.models.map((m) => m.name);
    },
    async pick(items, placeHolder) {
      const picked = await window.showQuickPick(items, { placeHolder });
      return picked?.value;
    },
    async pickWeightsFile(defaultFolder) {
      const files = await window.showOpenDialog({ canSelectMany: false, defaultUri: Uri.file(defaultFolder), filters: { 'Safetensors weights': ['safetensors'] }, openLabel: 'Use these weights' });
      return files?.[0]?.fsPath;
    },
    async pickFolder(defaultFolder) {
      const dirs = await window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: Uri.file(defaultFolder), openLabel: 'Export here' });
      return dirs?.[0]?.fsPath;
    },
    exists,
  };
  const planned = await planExport(args, ui, {
    cli: deps.context.asAbsolutePath(path.join('dist', 'cli.js')),
    modelFile: uri.fsPath,
    weightsFileOf: (model) => weightsPath(uri.fsPath, model, settings.weightsFolder, folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined),
  });
  if (!planned) return undefined;
  if ('error' in planned) return fail(planned.error);
  const request = planned;
  const { model, format, weights, out } = request;
  deps.output.info(`Export ${model} as ${format} to ${out}${weights ? ` with ${weights}` : ' with fresh weights'}`);
  const result = await window.withProgress(
    { location: ProgressLocation.Notification, title: `Netspec: exporting ${model} as ${format}`, cancellable: true },
    (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return runExportCli(request, { execPath: process.execPath, env: exportEnv(process.env), cwd: path.dirname(uri.fsPath), signal: abort.signal });
    },
  );
  report(result, model, format, deps);
  return result;
}

/** The end notification (not awaited: the command resolves without waiting for a click). */
function report(result: ExportResult, model: string, format: string, deps: ExportDeps): void {
  if (!result.ok) {
    if (result.cancelled) {
      deps.output.info(`Export of ${model} cancelled`);
      void window.showInformationMessage(`Netspec: the export of ${model} was cancelled; nothing was written.`);
      return;
    }
    deps.output.error(`Export of ${model} as ${format} failed: ${result.message}`);
    void window.showErrorMessage(`Netspec: exporting ${model} as ${format} failed: ${result.message}`);
    return;
  }
  const r = result.report;
  for (const note of r.notes) deps.output.info(`${model}: ${note}`);
  deps.output.info(`Exported ${model} as ${format} to ${r.out}: ${r.files.join(', ')} (${r.bytes} bytes)`);
  const untrained = r.trained ? '' : ' (untrained weights)';
  void window.showInformationMessage(`Netspec: exported ${model} as ${format} to ${r.out}${untrained}.`, 'Reveal in Explorer', 'Open Folder').then((pick) => {
    const folder = Uri.file(r.out);
    if (pick === 'Reveal in Explorer') void commands.executeCommand('revealFileInOS', Uri.file(path.join(r.out, r.files[0] ?? '')));
    else if (pick === 'Open Folder') void commands.executeCommand('vscode.openFolder', folder, { forceNewWindow: true });
  });
}
