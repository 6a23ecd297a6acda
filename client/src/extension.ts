// The VS Code extension's entry point (dist/extension.js). It starts the Netspec language
// server when a `netspec` document opens (contributes.languages implies the activation
// event), registers the commands, the training status bar item and the training panel's
// serializer (so a reload restores the panel), and stops the server on deactivation.
// `activate` returns a small API, `lastRun()`, that tests read after a run.

import { StatusBarAlignment, window, workspace, type ExtensionContext } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { createLanguageClient } from './language_client';
import { PANEL_VIEW_TYPE, PanelHost } from './panel_host';
import type { RunOutcome } from './run_session';
import { readSettings } from './settings';
import { TrainingStatus } from './status_bar';

let client: LanguageClient | undefined;

/** What `vscode.extensions.getExtension('netspec.netspec').exports` holds. */
export interface NetspecApi {
  /** The outcome of the last training run in this window, if any ended. */
  lastRun(): RunOutcome | undefined;
}

export async function activate(context: ExtensionContext): Promise<NetspecApi> {
  const output = window.createOutputChannel('Netspec', { log: true });
  context.subscriptions.push(output);
  const log = (level: 'info' | 'warn' | 'error', line: string) => output[level](line);

  const host = new PanelHost(context, log);
  const status = new TrainingStatus(window.createStatusBarItem('netspec.training', StatusBarAlignment.Left, 50));
  let last: RunOutcome | undefined;
  context.subscriptions.push(
    host,
    status,
    ...registerCommands(context, { client: () => client, childScript: context.asAbsolutePath('dist/train_child.js'), host, status, output, remember: (o) => (last = o) }),
    window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel) {
        host.adopt(panel);
      },
    }),
    workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('netspec.chartSmoothing')) {
        host.current?.settings(readSettings(workspace.getConfiguration('netspec')).chartSmoothing);
      }
    }),
  );

  client = createLanguageClient(context, output);
  try {
    await client.start();
  } catch (e) {
    output.error(`The Netspec language server failed to start: ${e instanceof Error ? e.message : String(e)}`);
    void window.showErrorMessage('Netspec: the language server failed to start; see the Netspec output channel.');
  }
  return { lastRun: () => last };
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}
