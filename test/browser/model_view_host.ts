// A stand-in for VS Code's webview host for the model view's browser test: a tiny HTTP
// server on 127.0.0.1 serves the page that renderModelViewHtml builds, with its real CSP,
// and dist/model_view.js. One extra nonce'd script defines `acquireVsCodeApi`: it records
// every message the page posts (window.__posted) and keeps the saved state in
// sessionStorage; `__send(msg)` posts a message to the page as the extension would.

import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { renderModelViewHtml } from '../../webview/model/html';

const STAND_IN = `
(() => {
  window.__posted = [];
  const api = {
    postMessage(m) { window.__posted.push(JSON.parse(JSON.stringify(m))); },
    getState() {
      const s = sessionStorage.getItem('netspec-model-view');
      return s ? JSON.parse(s) : undefined;
    },
    setState(s) { sessionStorage.setItem('netspec-model-view', JSON.stringify(s)); },
  };
  window.acquireVsCodeApi = () => api;
  window.__send = (msg) => window.postMessage(msg, '*');
})();
`;

export interface ModelViewHost {
  url: string;
  close(): Promise<void>;
}

export async function startModelViewHost(repoRoot: string): Promise<ModelViewHost> {
  const nonce = 'netspecModelViewNonce7';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      if (url.pathname === '/') {
        const origin = `http://${req.headers.host}`;
        const html = renderModelViewHtml({ cspSource: origin, nonce, scriptUri: `${origin}/dist/model_view.js` });
        send(200, 'text/html', html.replace('<script ', `<script nonce="${nonce}">${STAND_IN}</script>\n    <script `));
      } else if (url.pathname === '/favicon.ico') send(204, 'image/x-icon', '');
      else if (url.pathname === '/dist/model_view.js') send(200, 'text/javascript', readFileSync(join(repoRoot, url.pathname)));
      else send(404, 'text/plain', 'not found');
    } catch (e) {
      send(500, 'text/plain', String(e));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
