// The harness's pure parts, which need neither code-server nor Chromium: the workbench URL
// that carries the test payload, and the cleaning of forwarded extension-host console lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consoleLine, suiteUrl } from './harness';

test('suiteUrl opens the folder and passes the extension and suite as vscode-remote URIs', () => {
  const url = new URL(suiteUrl('http://127.0.0.1:4711', '/tmp/ws dir', '/work/main', '/work/main/test/e2e/suites/a.suite.js'));
  assert.equal(url.origin, 'http://127.0.0.1:4711');
  assert.equal(url.searchParams.get('folder'), '/tmp/ws dir');
  const payload = new Map(JSON.parse(url.searchParams.get('payload') ?? '[]') as [string, string][]);
  assert.equal(payload.get('extensionDevelopmentPath'), 'vscode-remote://127.0.0.1:4711/work/main');
  assert.equal(payload.get('extensionTestsPath'), 'vscode-remote://127.0.0.1:4711/work/main/test/e2e/suites/a.suite.js');
  assert.equal(payload.get('skipWelcome'), 'true');
});

test('consoleLine drops the %c markers and their CSS arguments, keeps the message', () => {
  assert.equal(consoleLine('log', ['%c INFO', 'color: #33f', 'smoke: VS Code 1.100.3']), '[log] INFO smoke: VS Code 1.100.3');
  assert.equal(consoleLine('log', ['%c[Extension Host] %cfailed', 'color: blue', 'color: inherit', 'x']), '[log] [Extension Host] failed x');
  assert.equal(consoleLine('warning', ['plain', 'two']), '[warning] plain two');
  assert.equal(consoleLine('error', []), '[error] ');
});
