// The model view: one webview panel per model file (the graph and the summary table that
// webview/model draws), filled from the language server's `netspec/modelGraph` answer on
// open and again after every edit of the file. The page asks to reveal a line (the file's
// editor shows and selects it) and to save an export (a save dialog beside the file).

import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { Range, Selection, TextEditorRevealType, Uri, ViewColumn, window, workspace, type Disposable, type ExtensionContext, type WebviewPanel } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { FromModelView, ModelGraphAnswer, ToModelView } from '../../webview/model/protocol';
import { renderModelViewHtml } from '../../webview/model/html';
import { Refresher } from './model_view_refresh';

export const MODEL_VIEW_TYPE = 'netspec.modelView';
export const MODEL_GRAPH_REQUEST = 'netspec/modelGraph';

interface OpenView {
  panel: WebviewPanel;
  refresher: Refresher<ModelGraphAnswer>;
  ready: boolean;
  disposables: Disposable[];
}

export class ModelViews implements Disposable {
  private readonly views = new Map<string, OpenView>();

  constructor(
    private readonly context: ExtensionContext,
    private readonly client: () => LanguageClient | undefined,
  ) {}

  /** Opens (or reveals) the view of `uri`'s models. */
  async show(uri: Uri): Promise<void> {
    const key = uri.toString();
    const open = this.views.get(key);
    if (open) {
      open.panel.reveal(undefined, false);
      open.refresher.request();
      return;
    }
    // The server answers only for open documents.
    const doc = await workspace.openTextDocument(uri);
    const fileName = path.basename(uri.path);
    const dist = Uri.joinPath(this.context.extensionUri, 'dist');
    const panel = window.createWebviewPanel(MODEL_VIEW_TYPE, `Model: ${fileName}`, { viewColumn: ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [dist],
    });
    const post = (m: ToModelView) => void panel.webview.postMessage(m);
    const refresher = new Refresher<ModelGraphAnswer>(
      async () => {
        const client = this.client();
        if (!client) throw new Error('the language server is not running; see the Netspec output channel');
        return client.sendRequest<ModelGraphAnswer | null>(MODEL_GRAPH_REQUEST, { uri: doc.uri.toString() });
      },
      (answer) => post({ type: 'graph', fileName, answer }),
      (e) => post({ type: 'error', message: `The model could not be read: ${e instanceof Error ? e.message : String(e)}` }),
    );
    const view: OpenView = { panel, refresher, ready: false, disposables: [] };
    this.views.set(key, view);
    view.disposables.push(
      panel.webview.onDidReceiveMessage((m: FromModelView) => void this.onMessage(uri, view, m)),
      workspace.onDidChangeTextDocument((e) => {
        if (view.ready && e.document.uri.toString() === key && e.contentChanges.length > 0) refresher.request();
      }),
      panel.onDidDispose(() => {
        refresher.dispose();
        for (const d of view.disposables) d.dispose();
        this.views.delete(key);
      }),
    );
    panel.webview.html = renderModelViewHtml({
      cspSource: panel.webview.cspSource,
      nonce: randomBytes(16).toString('hex'),
      scriptUri: panel.webview.asWebviewUri(Uri.joinPath(dist, 'model_view.js')).toString(),
    });
  }

  dispose(): void {
    for (const v of [...this.views.values()]) v.panel.dispose();
  }

  private async onMessage(uri: Uri, view: OpenView, m: FromModelView): Promise<void> {
    if (m.type === 'ready') {
      view.ready = true;
      view.refresher.request();
    } else if (m.type === 'reveal') await reveal(uri, m.start, m.end);
    else if (m.type === 'save') await save(uri, m);
  }
}

async function reveal(uri: Uri, start: number, end: number): Promise<void> {
  const doc = await workspace.openTextDocument(uri);
  const editor = window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  const shown = await window.showTextDocument(doc, { viewColumn: editor?.viewColumn ?? ViewColumn.One, preserveFocus: false });
  const range = new Range(doc.positionAt(start), doc.positionAt(end));
  shown.selection = new Selection(range.start, range.end);
  shown.revealRange(range, TextEditorRevealType.InCenterIfOutsideViewport);
}

async function save(uri: Uri, m: Extract<FromModelView, { type: 'save' }>): Promise<void> {
  const target = await window.showSaveDialog({
    defaultUri: Uri.joinPath(uri, '..', path.basename(m.name)),
    filters: m.format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
    saveLabel: `Export ${m.format.toUpperCase()}`,
  });
  if (!target) return;
  const bytes = m.format === 'svg' ? new TextEncoder().encode(m.text) : Buffer.from(m.base64, 'base64');
  try {
    await workspace.fs.writeFile(target, bytes);
    void window.showInformationMessage(`Netspec: the model graph was saved to ${path.basename(target.path)}.`);
  } catch (e) {
    void window.showErrorMessage(`Netspec: saving the graph failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
