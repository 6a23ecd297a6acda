// The training panel's page, as the extension sets it on the WebviewPanel. Pure (no vscode
// import), so the client calls it with the webview's `cspSource`, a fresh nonce and the URIs
// of the bundles, and tests read the result. The content security policy allows only the
// nonce'd script, styles from the extension (and inline ones, for uPlot and the theme), and
// a worker from a blob URL: the page fetches dist/worker.js (connect-src) and starts it
// from a blob, which VS Code's webview origin rules allow where a direct URL is refused.

export interface PanelHtmlOptions {
  /** `webview.cspSource`: the origin the webview serves extension files from. */
  cspSource: string;
  /** A fresh random nonce for this page's script tag (letters and digits). */
  nonce: string;
  /** `webview.asWebviewUri` of dist/webview.js. */
  scriptUri: string;
  /** `webview.asWebviewUri` of dist/worker.js; the page fetches it and starts it from a blob. */
  workerUri: string;
  /** An optional stylesheet of the extension's own. */
  styleUri?: string;
}

/** Escapes text for an HTML attribute value in double quotes. */
function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The Content-Security-Policy of the page (also used by the browser test's stand-in page). */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    // 'wasm-unsafe-eval' lets the worker compile the WebAssembly kernels (not JavaScript eval).
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `img-src ${cspSource} data: blob:`,
    'worker-src blob:',
    `connect-src ${cspSource}`,
  ].join('; ');
}

/**
 * VS Code's cspSource is a list of sources (`'self' https://*.vscode-cdn.net` in 1.100).
 * Only host sources and `'self'` before any `;` are kept, so a keyword such as
 * 'unsafe-eval' or a `;` cannot widen or end the policy.
 */
export function safeSources(cspSource: string): string {
  const kept = cspSource
    .split(';')[0]
    .split(/[\s,]+/)
    .filter((t) => t === "'self'" || (t.length > 0 && /^(?:[a-z][a-z0-9+.-]*:(?:\/\/)?)?[a-z0-9*.+:@%\/_-]*$/i.test(t)));
  return kept.length > 0 ? kept.join(' ') : "'none'";
}

/** The whole HTML document of the training panel. */
export function renderPanelHtml(opts: PanelHtmlOptions): string {
  // A nonce or source with quotes or angle brackets would break out of the policy: keep only safe characters.
  const nonce = opts.nonce.replace(/[^A-Za-z0-9+/=_-]/g, '');
  const csp = panelCsp(safeSources(opts.cspSource), nonce);
  const style = opts.styleUri ? `\n    <link rel="stylesheet" href="${attr(opts.styleUri)}">` : '';
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>Netspec training</title>${style}
  </head>
  <body>
    <main id="netspec-panel" data-worker-uri="${attr(opts.workerUri)}" aria-live="polite"></main>
    <script nonce="${attr(nonce)}" src="${attr(opts.scriptUri)}"></script>
  </body>
</html>
`;
}
