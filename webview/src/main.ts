// The training panel's page script (bundled to dist/webview.js as an IIFE). It finds the
// root element and the worker's URI that renderPanelHtml wrote, adds the styles, and starts
// the Panel with VS Code's webview API. The worker script is fetched and started from a blob
// URL: a webview may not start a worker from its resource origin, but it may from a blob
// (the page's CSP says `worker-src blob:`).

import { Panel } from './panel';
import type { VsCodeApi, WorkerLike } from './panel';
import type { ToPanel } from '../protocol';
import { installStyles } from './view/styles';

declare function acquireVsCodeApi(): VsCodeApi;

/** A Worker started from the script at `uri`, fetched once and kept as a blob URL. */
function workerFactory(uri: string): () => Promise<WorkerLike> {
  let blobUrl: Promise<string> | null = null;
  return async () => {
    blobUrl ??= fetch(uri).then(async (r) => {
      if (!r.ok) throw new Error(`could not load the worker script (${r.status} ${r.statusText})`);
      return URL.createObjectURL(new Blob([await r.text()], { type: 'text/javascript' }));
    });
    try {
      return new Worker(await blobUrl) as unknown as WorkerLike;
    } catch (e) {
      blobUrl = null;
      throw e;
    }
  };
}

function boot(): void {
  const root = document.getElementById('netspec-panel') ?? document.body.appendChild(document.createElement('main'));
  installStyles(document);
  const vscode = acquireVsCodeApi();
  const workerUri = root.dataset.workerUri ?? '';
  const panel = new Panel(root, vscode, workerFactory(workerUri));
  window.addEventListener('message', (e: MessageEvent) => void panel.fromExtension(e.data as ToPanel));
  (window as unknown as { netspecPanel?: Panel }).netspecPanel = panel;
}

boot();
