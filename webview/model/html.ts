// The model view's page, as the extension sets it on its WebviewPanel. Pure (no vscode
// import), so the client and the browser test build the same page. The policy allows only
// the nonce'd script, inline styles (the theme's variables), and images from data: and
// blob: URLs, which the PNG export draws the SVG through.

import { safeSources } from '../src/html';

export interface ModelViewHtmlOptions {
  cspSource: string;
  nonce: string;
  /** `webview.asWebviewUri` of dist/model_view.js. */
  scriptUri: string;
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function modelViewCsp(cspSource: string, nonce: string): string {
  return ["default-src 'none'", `script-src 'nonce-${nonce}'`, `style-src ${cspSource} 'unsafe-inline'`, `img-src ${cspSource} data: blob:`].join('; ');
}

export function renderModelViewHtml(opts: ModelViewHtmlOptions): string {
  const nonce = opts.nonce.replace(/[^A-Za-z0-9+/=_-]/g, '');
  const csp = modelViewCsp(safeSources(opts.cspSource), nonce);
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>Netspec model</title>
  </head>
  <body>
    <main id="netspec-model-view" aria-live="polite"></main>
    <script nonce="${attr(nonce)}" src="${attr(opts.scriptUri)}"></script>
  </body>
</html>
`;
}
