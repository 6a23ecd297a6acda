// Training in a real VS Code (code-server + headless Chromium, see harness.ts): the suite
// opens a copy of examples/iris and runs the Train Model command three times: `auto` (the
// extension host's training process on the CPU here, since lavapipe and SwiftShader are
// software adapters), `host-webgpu` (lavapipe in the extension host) and `webgpu`
// (SwiftShader in the panel), printing the time from Train to the first chart point of each.
//
// Missing tools fail the test with the reason; NETSPEC_ALLOW_MISSING_TOOLS=1 skips it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeRun, REPO_ROOT, runVsCodeSuite, setupE2eTools } from './harness';

test('Train Model in a real VS Code trains iris to >= 0.9 accuracy and writes valid safetensors', { timeout: 8 * 60_000 }, async (t) => {
  const tools = setupE2eTools();
  if (!tools.ok) {
    if (process.env.NETSPEC_ALLOW_MISSING_TOOLS === '1') {
      console.warn(`\n*** SKIPPING the real-VS-Code training test: ${tools.reason}\n`);
      t.skip(tools.reason);
      return;
    }
    assert.fail(`the real-VS-Code training test cannot run (set NETSPEC_ALLOW_MISSING_TOOLS=1 to skip):\n${tools.reason}`);
  }
  const build = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, `the build failed:\n${build.stdout}${build.stderr}`);
  for (const f of ['dist/extension.js', 'dist/server.js', 'dist/webview.js', 'dist/worker.js', 'dist/train_child.js']) {
    assert.ok(existsSync(join(REPO_ROOT, f)), `the build produced no ${f}`);
  }
  const fixture = mkdtempSync(join(tmpdir(), 'netspec-train-fixture-'));
  try {
    cpSync(join(REPO_ROOT, 'examples', 'iris'), fixture, { recursive: true });
    rmSync(join(fixture, 'Iris.safetensors'), { force: true });
    rmSync(join(fixture, 'netspec-runs'), { recursive: true, force: true });
    const run = await runVsCodeSuite({
      codeServer: tools.codeServer,
      chromium: tools.chromium,
      suitePath: join(REPO_ROOT, 'test', 'e2e', 'suites', 'train.suite.js'),
      workspaceFixture: fixture,
      timeoutMs: 5 * 60_000,
    });
    const report = run.log.filter((l) => /train: /.test(l));
    console.log(report.join('\n'));
    assert.equal(run.exitCode, 0, `the train suite failed in VS Code:\n${describeRun(run, 120)}`);
    assert.ok(run.log.some((l) => l.includes('train: all checks passed')), `the suite exited 0 without finishing:\n${describeRun(run)}`);
  } finally {
    rmSync(fixture, { recursive: true, force: true });
  }
});
