// The model view in a real VS Code (code-server + headless Chromium, as vscode.test.ts sets
// up): the Show Model command opens a webview beside the transformer example and follows an
// edit. Screenshots: test-results/e2e-model_view-graph.png and -edited.png.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeRun, REPO_ROOT, runVsCodeSuite, setupE2eTools } from './harness';

test('Show Model opens the model view webview in a real VS Code', { timeout: 6 * 60_000 }, async (t) => {
  const tools = setupE2eTools();
  if (!tools.ok) {
    if (process.env.NETSPEC_ALLOW_MISSING_TOOLS === '1') {
      console.warn(`\n*** SKIPPING the real-VS-Code model view test: ${tools.reason}\n`);
      t.skip(tools.reason);
      return;
    }
    assert.fail(`the real-VS-Code model view test cannot run (set NETSPEC_ALLOW_MISSING_TOOLS=1 to skip):\n${tools.reason}`);
  }
  const build = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs'), '--only=extension,server,model_view'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, `the build failed:\n${build.stdout}${build.stderr}`);
  const fixture = mkdtempSync(join(tmpdir(), 'netspec-model-view-fixture-'));
  try {
    copyFileSync(join(REPO_ROOT, 'examples', 'mnist', 'mnist_transformer.netspec'), join(fixture, 'mnist_transformer.netspec'));
    const run = await runVsCodeSuite({
      codeServer: tools.codeServer,
      chromium: tools.chromium,
      suitePath: join(REPO_ROOT, 'test', 'e2e', 'suites', 'model_view.suite.js'),
      workspaceFixture: fixture,
      timeoutMs: 2 * 60_000,
    });
    assert.equal(run.exitCode, 0, `the model view suite failed in VS Code:\n${describeRun(run, 80)}`);
    assert.ok(run.log.some((l) => l.includes('model_view: all checks passed')), `the suite exited 0 without finishing:\n${describeRun(run)}`);
  } finally {
    rmSync(fixture, { recursive: true, force: true });
  }
});
