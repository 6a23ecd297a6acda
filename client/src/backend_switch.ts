// The panel's Change… button beside the device: a quick pick of `netspec.backend`'s values
// (the current one marked), written to the workspace's settings (the user's when no folder
// is open). The next run trains where the new value says.

import { ConfigurationTarget, window, workspace } from 'vscode';
import type { BackendChoice } from '../../webview/protocol';
import { BACKEND_CHOICES, readSettings } from './settings';

/** What each value means, for the quick pick (package.json's enumDescriptions say the same at length). */
export const BACKEND_LABELS: Record<BackendChoice, string> = {
  auto: 'A hardware GPU (extension host, then panel), else the CPU in the extension host',
  'host-webgpu': 'WebGPU in the extension host (Dawn), a software adapter included',
  'host-wasm': 'The CPU in the extension host (WebAssembly SIMD, every core)',
  webgpu: "The panel's WebGPU (the editor's webview)",
  cpu: "The panel's CPU (JavaScript, slow)",
};

export async function switchBackend(): Promise<BackendChoice | undefined> {
  const config = workspace.getConfiguration('netspec');
  const current = readSettings(config).backend;
  const picked = await window.showQuickPick(
    BACKEND_CHOICES.map((value) => ({ label: value, description: value === current ? '(current)' : undefined, detail: BACKEND_LABELS[value], value })),
    { placeHolder: 'Where should models train? (netspec.backend; applies to the next run)' },
  );
  if (!picked || picked.value === current) return picked?.value;
  const target = workspace.workspaceFolders?.length ? ConfigurationTarget.Workspace : ConfigurationTarget.Global;
  await config.update('backend', picked.value, target);
  return picked.value;
}
