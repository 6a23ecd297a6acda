// A stand-in for VS Code's webview host, for the panel's real-browser test. A tiny HTTP
// server on 127.0.0.1 (a secure context, so WebGPU is offered) serves the page that
// renderPanelHtml builds, with its real CSP, plus the bundles from dist/. One extra nonce'd
// script defines `acquireVsCodeApi`: it records every message the panel posts and every
// state it saves (kept in sessionStorage, so a reload gets it back from getState, as a
// reloaded webview does), and `__sendStart()` fetches the start message the test prepared
// (file bytes as base64) and posts it to the page as the extension would.

import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { renderPanelHtml } from '../../webview/src/html';

const STAND_IN = `
(() => {
  window.__posted = [];
  window.__states = 0;
  window.__firstPointMs = null;
  const api = {
    postMessage(m) {
      // Weights are bytes: keep their size, not the bytes, so the record stays small.
      if (m && m.type === 'weights') m = { type: 'weights', runId: m.runId, epoch: m.epoch, final: m.final, byteLength: m.bytes.byteLength, head: Array.from(m.bytes.subarray(0, 8)) };
      window.__posted.push(JSON.parse(JSON.stringify(m)));
    },
    getState() {
      const s = sessionStorage.getItem('netspec-state');
      return s ? JSON.parse(s) : undefined;
    },
    setState(s) {
      window.__states++;
      sessionStorage.setItem('netspec-state', JSON.stringify(s));
    },
  };
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return api;
  };
  window.__sendStart = async () => {
    const msg = await (await fetch('/start.json')).json();
    for (const f of msg.files) f.bytes = Uint8Array.from(atob(f.bytes), (c) => c.charCodeAt(0));
    const t0 = performance.now();
    const watch = () => {
      const chart = document.querySelector('[data-chart="step-loss"]');
      if (chart && Number(chart.dataset.points) > 0) window.__firstPointMs = performance.now() - t0;
      else requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
    window.postMessage(msg, '*');
  };
  window.__send = (msg) => window.postMessage(msg, '*');
})();
`;

export interface Host {
  url: string;
  /** Sets the start message the page's `__sendStart()` posts (bytes are base64 in transit). */
  setStart(msg: unknown): void;
  close(): Promise<void>;
}

export async function startHost(repoRoot: string): Promise<Host> {
  let start = '{}';
  const nonce = 'netspecTestNonce42';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      if (url.pathname === '/') {
        const origin = `http://${req.headers.host}`;
        const html = renderPanelHtml({ cspSource: origin, nonce, scriptUri: `${origin}/dist/webview.js`, workerUri: `${origin}/dist/worker.js` });
        send(200, 'text/html', html.replace('<script ', `<script nonce="${nonce}">${STAND_IN}</script>\n    <script `));
      } else if (url.pathname === '/start.json') send(200, 'application/json', start);
      else if (url.pathname === '/dist/webview.js' || url.pathname === '/dist/worker.js') send(200, 'text/javascript', readFileSync(join(repoRoot, url.pathname)));
      else send(404, 'text/plain', 'not found');
    } catch (e) {
      send(500, 'text/plain', String(e));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    setStart(msg: unknown) {
      start = JSON.stringify(msg, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
