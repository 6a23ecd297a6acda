// Registers the extension's commands (package.json contributes.commands lists the same ids):
// Train Model, Stop Training, Show Training Panel, Show Model (the model view), Open Example and
// Export Model. Each
// handler reports problems as messages; none throws at the user.

import { FileType, Uri, commands, window, workspace, type Disposable, type ExtensionContext } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { exportCommand } from './export_command';
import { EXPORT_COMMAND } from './export_plan';
import { ModelViews } from './model_view';
import type { PanelHost } from './panel_host';
import { REVEAL_PANEL_COMMAND } from './status_bar';
import { trainCommand, type TrainDeps } from './train_command';

export const COMMANDS = {
  train: 'netspec.train',
  stop: 'netspec.stop',
  showPanel: REVEAL_PANEL_COMMAND,
  showSummary: 'netspec.showSummary',
  openExample: 'netspec.openExample',
  export: EXPORT_COMMAND,
} as const;

export function registerCommands(context: ExtensionContext, deps: TrainDeps & { host: PanelHost }): Disposable[] {
  const modelViews = new ModelViews(context, deps.client);
  return [
    modelViews,
    commands.registerCommand(COMMANDS.train, (arg?: unknown) => trainCommand(deps, arg)),
    commands.registerCommand(COMMANDS.stop, () => {
      const channel = deps.host.current;
      if (channel?.current) channel.stop();
      else void window.showInformationMessage('Netspec: no model is training.');
    }),
    commands.registerCommand(COMMANDS.showPanel, () => deps.host.reveal()),
    commands.registerCommand(COMMANDS.showSummary, (arg?: unknown) => showModelView(modelViews, deps.client(), arg)),
    commands.registerCommand(COMMANDS.openExample, () => openExample(context)),
    commands.registerCommand(COMMANDS.export, (arg?: unknown) => exportCommand({ context, client: deps.client, output: deps.output }, arg)),
  ];
}

/** The document to show: the argument's Uri, else the active netspec editor's. */
function targetUri(arg: unknown): Uri | undefined {
  if (arg instanceof Uri) return arg;
  const doc = window.activeTextEditor?.document;
  return doc?.languageId === 'netspec' ? doc.uri : undefined;
}

async function showModelView(views: ModelViews, client: LanguageClient | undefined, arg: unknown): Promise<void> {
  const uri = targetUri(arg);
  if (!uri) {
    void window.showErrorMessage('Netspec: open a .netspec file to see its model.');
    return;
  }
  if (!client) {
    void window.showErrorMessage('Netspec: the language server is not running; see the Netspec output channel.');
    return;
  }
  try {
    await views.show(uri);
  } catch (e) {
    void window.showErrorMessage(`Netspec: the model view failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The bundled examples: examples/NAME/FILE.netspec in the extension folder. */
async function listExamples(root: Uri): Promise<{ label: string; description: string; uri: Uri }[]> {
  const out: { label: string; description: string; uri: Uri }[] = [];
  const dirs = await workspace.fs.readDirectory(root).then(
    (d) => d,
    () => [] as [string, FileType][],
  );
  for (const [dir, type] of dirs.sort()) {
    if (!(type & FileType.Directory)) continue;
    const files = await workspace.fs.readDirectory(Uri.joinPath(root, dir)).then(
      (d) => d,
      () => [] as [string, FileType][],
    );
    for (const [file, t] of files.sort()) {
      if (t & FileType.File && file.endsWith('.netspec')) out.push({ label: file, description: dir, uri: Uri.joinPath(root, dir, file) });
    }
  }
  return out;
}

async function openExample(context: ExtensionContext): Promise<void> {
  const examples = await listExamples(Uri.joinPath(context.extensionUri, 'examples'));
  if (examples.length === 0) {
    void window.showErrorMessage('Netspec: this installation ships no examples.');
    return;
  }
  const picked = await window.showQuickPick(examples, { placeHolder: 'Open an example model (with its data)' });
  if (!picked) return;
  await window.showTextDocument(picked.uri, { preview: false });
  void window.showInformationMessage(
    `Netspec: ${picked.label} opened from the extension's folder. To change it, save a copy of its folder (examples/${picked.description}) into your workspace.`,
  );
}
