// The VSIX: build it with `npm run package` (bundle, copy this platform's Dawn binding, then
// `vsce package --no-dependencies --target`), check its size and contents, install it with
// code-server's `--install-extension`, start the installed training child on Dawn's adapter,
// and run a suite in a real VS Code against the installed folder (harness.ts loads it as
// the extension), so the test covers what a user downloads.
//
// Missing tools fail the test with the reason; NETSPEC_ALLOW_MISSING_TOOLS=1 skips it.
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkText } from '../../server/src/sema/check';
import { lowerTrain } from '../../server/src/sema/train/lower';
import type { FromPanel } from '../../webview/protocol';
import { describeRun, REPO_ROOT, runVsCodeSuite, setupE2eTools } from './harness';

/**
 * The VSIX stays small: bundles, grammar, docs, the small examples (about 0.5 MB) and one
 * platform's Dawn binding (about 7 MB zipped on linux-x64).
 */
const MAX_VSIX_BYTES = 12 * 1024 * 1024;

/**
 * Forks the installed dist/train_child.js (as host_runner.ts does) with a `webgpu` start
 * for iris and returns its first answer: `backend` when it reached Dawn, `declined` when
 * it could not load it. Nothing outside the installed folder can lend it the package.
 */
function firstAnswerOfInstalledChild(installed: string): Promise<FromPanel> {
  const iris = join(installed, 'examples', 'iris', 'iris.netspec');
  const checked = checkText(readFileSync(iris, 'utf8'));
  const decl = checked.file.decls.find((d) => d.kind === 'Train')!;
  const train = { ...lowerTrain(decl as never, { path: iris })!, epochs: 1 };
  const data = (train.data as { path: string }).path;
  const start = {
    type: 'start', runId: 'vsix', model: 'Iris', sourceUri: `file://${iris}`, ir: checked.models[0].ir!, train,
    files: [{ path: data, bytes: new Uint8Array(readFileSync(data)) }], backend: 'webgpu', smoothing: 0.6,
  };
  const child = fork(join(installed, 'dist', 'train_child.js'), [], { cwd: tmpdir(), execArgv: [], serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('message', (m: FromPanel) => {
      if (m.type !== 'backend' && m.type !== 'declined' && m.type !== 'failed') return;
      child.kill();
      resolve(m);
    });
    child.on('exit', (code) => reject(new Error(`the installed child exited (${code}) without answering:\n${stderr}`)));
    child.send(start);
  });
}

test('the VSIX packages, installs in code-server, and activates from the installed folder', { timeout: 8 * 60_000 }, async (t) => {
  const tools = setupE2eTools();
  if (!tools.ok) {
    if (process.env.NETSPEC_ALLOW_MISSING_TOOLS === '1') {
      console.warn(`\n*** SKIPPING the VSIX test: ${tools.reason}\n`);
      t.skip(tools.reason);
      return;
    }
    assert.fail(`the VSIX test cannot run (set NETSPEC_ALLOW_MISSING_TOOLS=1 to skip):\n${tools.reason}`);
  }
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string> };
  assert.equal(pkg.scripts.package, 'node scripts/package.mjs');
  const work = mkdtempSync(join(tmpdir(), 'netspec-vsix-'));
  try {
    const vsix = join(work, 'netspec.vsix');
    const pack = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'package.mjs'), '-o', vsix], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 240_000,
    });
    assert.equal(pack.status, 0, `npm run package failed:\n${pack.stdout}${pack.stderr}`);
    const size = statSync(vsix).size;
    console.log(`vsix: ${(size / 1024).toFixed(0)} KiB`);
    assert.ok(size < MAX_VSIX_BYTES, `the VSIX is ${size} bytes, over ${MAX_VSIX_BYTES}`);

    const home = join(work, 'home');
    const extensions = join(work, 'extensions');
    const install = spawnSync(
      process.execPath,
      [tools.codeServer, '--install-extension', vsix, '--extensions-dir', extensions, '--user-data-dir', join(home, 'user-data')],
      {
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), XDG_CACHE_HOME: join(home, 'cache'), NODE_OPTIONS: '' },
      },
    );
    assert.equal(install.status, 0, `code-server --install-extension failed:\n${install.stdout}${install.stderr}`);
    assert.match(install.stdout, /successfully installed/);
    const installed = join(extensions, `netspec.netspec-${pkg.version}`);
    assert.ok(existsSync(installed), `no ${installed}; the extensions folder holds ${readdirSync(extensions).join(', ')}`);
    for (const f of ['dist/extension.js', 'dist/server.js', 'dist/webview.js', 'dist/worker.js', 'dist/model_view.js', 'dist/train_child.js', 'syntaxes/netspec.tmLanguage.json', 'examples/iris/iris.csv']) {
      assert.ok(existsSync(join(installed, f)), `the VSIX lacks ${f}`);
    }
    assert.ok(!existsSync(join(installed, 'node_modules')), 'the VSIX ships node_modules');
    const binding = process.platform === 'darwin' ? 'darwin-universal' : `${process.platform}-${process.arch}`;
    assert.deepEqual(readdirSync(join(installed, 'dist', 'node_modules', 'webgpu', 'dist')), [binding], 'the VSIX carries its own platform\'s Dawn binding, only that one');
    const answer = await firstAnswerOfInstalledChild(installed);
    assert.equal(answer.type, 'backend', `the installed training child did not reach Dawn: ${JSON.stringify(answer)}`);
    assert.equal(answer.type === 'backend' && answer.info.name, 'webgpu');
    console.log(`vsix: the installed child trains on ${answer.type === 'backend' ? answer.info.detail : ''}`);
    assert.ok(!existsSync(join(installed, 'client')), 'the VSIX ships TypeScript sources');

    const run = await runVsCodeSuite({
      codeServer: tools.codeServer,
      chromium: tools.chromium,
      suitePath: join(REPO_ROOT, 'test', 'e2e', 'suites', 'vsix.suite.js'),
      workspaceFixture: join(REPO_ROOT, 'test', 'e2e', 'fixtures'),
      extensionPath: installed,
      timeoutMs: 90_000,
    });
    console.log(run.log.filter((l) => /vsix: /.test(l)).join('\n'));
    assert.equal(run.exitCode, 0, `the installed extension failed its suite:\n${describeRun(run)}`);
    assert.ok(run.log.some((l) => l.includes('vsix: all checks passed')), `the suite exited 0 without finishing:\n${describeRun(run)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
