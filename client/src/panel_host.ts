// Hosts the training panel: creates the WebviewPanel (scripts on, resources limited to the
// bundle folder, context kept while hidden) or reveals the open one, fills it with the
// panel's HTML under a fresh nonce, and restores it after a window reload through the
// registered serializer, redrawing the last run from workspaceState. The conversation with
// the panel itself lives in panel_channel.ts.

import { randomBytes } from 'node:crypto';
import { Uri, ViewColumn, commands, window, type Disposable, type ExtensionContext, type WebviewPanel } from 'vscode';
import type { RunSnapshot } from '../../webview/protocol';
import { renderPanelHtml } from '../../webview/src/html';
import { EXPORT_COMMAND } from './export_plan';
import { switchBackend } from './backend_switch';
import { PanelChannel } from './panel_channel';
import { editorRunsHooks } from './runs_hooks';
import { predictForPanel } from './predict_command';
import { TRAIN_COMMAND } from './train_plan';

export const PANEL_VIEW_TYPE = 'netspec.training';
export const SNAPSHOT_KEY = 'netspec.lastRun';

type Log = (level: 'info' | 'warn' | 'error', line: string) => void;

export class PanelHost implements Disposable {
  private panel: WebviewPanel | undefined;
  private channel: PanelChannel | undefined;

  constructor(
    private readonly context: ExtensionContext,
    private readonly log: Log,
  ) {}

  /** The channel of the open panel, creating the panel when there is none. */
  ensure(title: string): PanelChannel {
    if (this.panel && this.channel) {
      this.panel.title = title;
      this.panel.reveal(undefined, true);
      return this.channel;
    }
    const panel = window.createWebviewPanel(PANEL_VIEW_TYPE, title, { viewColumn: ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [this.distUri()],
    });
    return this.adopt(panel);
  }

  /** Takes over a panel (a new one, or one VS Code restored after a reload). */
  adopt(panel: WebviewPanel): PanelChannel {
    this.channel?.dispose();
    this.panel = panel;
    panel.webview.options = { enableScripts: true, localResourceRoots: [this.distUri()] };
    const channel = new PanelChannel(
      panel.webview,
      { log: this.log, exportRun: (request) => void commands.executeCommand(EXPORT_COMMAND, request), switchBackend: () => void switchBackend(),
        predictRun: (request, send) => void predictForPanel(this.context.asAbsolutePath('dist/cli.js'), request, send, (line) => this.log('info', line)),
        runs: editorRunsHooks,
        trainAgain: (ctx) => void commands.executeCommand(TRAIN_COMMAND, { uri: ctx.sourceUri, model: ctx.model }),
      },
      this.lastSnapshot(),
    );
    this.channel = channel;
    panel.webview.html = this.html(panel);
    panel.onDidDispose(() => {
      channel.dispose();
      if (this.panel === panel) {
        this.panel = undefined;
        this.channel = undefined;
      }
    });
    return channel;
  }

  /** The open panel's channel, if a panel is open. */
  get current(): PanelChannel | undefined {
    return this.channel;
  }

  /** Shows the panel: the open one, or a new one that redraws the last run. */
  reveal(): void {
    if (this.panel) this.panel.reveal(undefined, false);
    else if (this.lastSnapshot()) this.ensure(`Netspec: ${this.lastSnapshot()!.model}`);
    else void window.showInformationMessage('Netspec: no training run yet. Use "▶ Train" above a train block, or the Netspec: Train Model command.');
  }

  lastSnapshot(): RunSnapshot | undefined {
    return this.context.workspaceState.get<RunSnapshot>(SNAPSHOT_KEY);
  }

  saveSnapshot(snapshot: RunSnapshot): void {
    void this.context.workspaceState.update(SNAPSHOT_KEY, snapshot);
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private distUri(): Uri {
    return Uri.joinPath(this.context.extensionUri, 'dist');
  }

  private html(panel: WebviewPanel): string {
    const webview = panel.webview;
    const asset = (name: string) => webview.asWebviewUri(Uri.joinPath(this.distUri(), name)).toString();
    return renderPanelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('hex'),
      scriptUri: asset('webview.js'),
      workerUri: asset('worker.js'),
    });
  }
}
