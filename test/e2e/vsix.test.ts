// The VSIX: build it the way `npm run package` does (bundle, then `vsce package
// --no-dependencies`), check its size and contents, install it with code-server's
// `--install-extension`, and run a suite in a real VS Code against the installed folder
// (harness.ts loads it as the extension), so the test covers what a user downloads.
//
// Missing tools fail the test with the reason; NETSPEC_ALLOW_MISSING_TOOLS=1 skips it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeRun, REPO_ROOT, runVsCodeSuite, setupE2eTools } from './harness';

/** The VSIX stays small: bundles, grammar, docs and the small examples (about 0.5 MB today). */
const MAX_VSIX_BYTES = 2 * 1024 * 1024;

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
  assert.match(pkg.scripts.package, /npm run build && vsce package --no-dependencies/);
  const work = mkdtempSync(join(tmpdir(), 'netspec-vsix-'));
  try {
    const build = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(build.status, 0, `the build failed:\n${build.stdout}${build.stderr}`);
    const vsix = join(work, 'netspec.vsix');
    const vsce = join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const pack = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '-o', vsix], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(pack.status, 0, `vsce package failed:\n${pack.stdout}${pack.stderr}`);
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
