// The panel page: its content security policy, and that nothing in it escapes its attributes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { panelCsp, renderPanelHtml, safeSources } from '../../../webview/src/html';

const opts = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'abc123XYZ', scriptUri: 'https://r/dist/webview.js', workerUri: 'https://r/dist/worker.js' };

function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'the page has a CSP meta tag');
  return m[1].replace(/&#39;|&apos;/g, "'");
}

test('the CSP is strict: nonce script, theme styles, blob workers, nothing remote', () => {
  const html = renderPanelHtml(opts);
  assert.equal(
    cspOf(html),
    "default-src 'none'; script-src 'nonce-abc123XYZ' 'wasm-unsafe-eval'; style-src https://file+.vscode-resource.vscode-cdn.net 'unsafe-inline'; img-src https://file+.vscode-resource.vscode-cdn.net data: blob:; worker-src blob:; connect-src https://file+.vscode-resource.vscode-cdn.net",
  );
  assert.equal(cspOf(html), panelCsp(opts.cspSource, opts.nonce));
  // One script, carrying the nonce and the bundle; the worker's URI is handed over as data.
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.equal(scripts.length, 1);
  assert.match(scripts[0], /nonce="abc123XYZ"/);
  assert.match(scripts[0], /src="https:\/\/r\/dist\/webview.js"/);
  assert.match(html, /data-worker-uri="https:\/\/r\/dist\/worker.js"/);
  assert.doesNotMatch(html, /<link/);
  assert.doesNotMatch(html, /http:\/\//);
});

test('a stylesheet URI adds one link; hostile values cannot break out of attributes or the policy', () => {
  assert.match(renderPanelHtml({ ...opts, styleUri: 'https://r/panel.css' }), /<link rel="stylesheet" href="https:\/\/r\/panel.css">/);
  const html = renderPanelHtml({ ...opts, nonce: `n"><script>x</script>`, workerUri: 'a"b<c', cspSource: "x; script-src 'unsafe-eval'" });
  assert.equal((html.match(/<script\b/g) ?? []).length, 1);
  assert.match(html, /data-worker-uri="a&quot;b&lt;c"/);
  const csp = cspOf(html);
  assert.doesNotMatch(csp, /'unsafe-eval'/);
  assert.equal(csp, panelCsp('x', 'nscriptx/script'));
});

test("VS Code's list of sources is kept whole; keywords other than 'self' are dropped", () => {
  assert.equal(safeSources("'self' https://*.vscode-cdn.net"), "'self' https://*.vscode-cdn.net");
  assert.equal(safeSources('https://*.vscode-cdn.net http://127.0.0.1:3000'), 'https://*.vscode-cdn.net http://127.0.0.1:3000');
  assert.equal(safeSources("https://a 'unsafe-inline' 'unsafe-eval' x;y"), 'https://a x');
  assert.equal(safeSources(''), "'none'");
  const csp = cspOf(renderPanelHtml({ ...opts, cspSource: "'self' https://*.vscode-cdn.net" }));
  assert.match(csp, /style-src 'self' https:\/\/\*\.vscode-cdn\.net 'unsafe-inline'; img-src 'self' https:\/\/\*\.vscode-cdn\.net data: blob:/);
  assert.match(csp, /connect-src 'self' https:\/\/\*\.vscode-cdn\.net$/);
});
