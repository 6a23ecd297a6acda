// The VS Code extension's entry point (dist/extension.js). It starts the Netspec language
// server when a `netspec` document opens (contributes.languages implies the activation
// event) and stops it on deactivation. Commands and the training panel attach here later.

import { window, type ExtensionContext } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './language_client';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const output = window.createOutputChannel('Netspec', { log: true });
  context.subscriptions.push(output);
  client = createLanguageClient(context, output);
  try {
    await client.start();
  } catch (e) {
    output.error(`The Netspec language server failed to start: ${e instanceof Error ? e.message : String(e)}`);
    void window.showErrorMessage('Netspec: the language server failed to start; see the Netspec output channel.');
  }
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}
