// Runs the same e2e suites in desktop VS Code (Electron) through @vscode/test-electron, the
// runner extension authors expect. It downloads VS Code from update.code.visualstudio.com,
// so it needs internet and, on Linux, a display; it is NOT run by `npm test` (the test that
// CI relies on, test/e2e/vscode.test.ts, uses code-server and headless Chromium offline).
//
// How to run it, from the repository root:
//   npm run build
//   node --import tsx test/e2e/electron_runner.ts                 # the language suite
//   node --import tsx test/e2e/electron_runner.ts smoke.suite.js  # another suite in test/e2e/suites
//   xvfb-run -a node --import tsx test/e2e/electron_runner.ts     # on a Linux machine without a display
// Set NETSPEC_VSCODE_VERSION to test another VS Code version (default 1.100.3, the oldest
// version that package.json's engines.vscode accepts).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

const REPO_ROOT = resolve(__dirname, '..', '..');

/** Runs one suite file from test/e2e/suites and returns VS Code's exit code. */
export async function runElectronSuite(suiteFile: string, version = process.env.NETSPEC_VSCODE_VERSION ?? '1.100.3'): Promise<number> {
  const workspaceRoot = mkdtempSync(join(tmpdir(), 'netspec-e2e-electron-'));
  const workspace = join(workspaceRoot, 'workspace');
  cpSync(join(REPO_ROOT, 'test', 'e2e', 'fixtures'), workspace, { recursive: true });
  try {
    return await runTests({
      version,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: join(REPO_ROOT, 'test', 'e2e', 'suites', suiteFile),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    rmSync(workspaceRoot, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const suite = process.argv[2] ?? 'language.suite.js';
  runElectronSuite(suite).then(
    (code) => {
      console.log(`${suite}: VS Code exited with ${code}`);
      process.exit(code);
    },
    (e: unknown) => {
      console.error(`${suite}: could not run VS Code: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
