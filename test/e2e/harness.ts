// Runs an extension test suite inside a real VS Code: code-server serves the workbench and
// runs the extension host, headless Chromium (driven by playwright-core) renders the
// workbench, and VS Code's own web test mechanism loads this repository as the extension
// under development and the suite file as `extensionTestsPath`. The suite's exit code comes
// back through the `codeAutomationExit` hook that the workbench calls when the tests end.
//
// Public API: runVsCodeSuite(options) resolves with the exit code, the collected logs and
// the screenshot path; it never throws for a failing or hanging suite, only reports it.
// A suite that logs `netspec-e2e:screenshot NAME` gets test-results/e2e-SUITE-NAME.png of
// the window at that moment (it should wait a second or so before it goes on).
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { REPO_ROOT, startCodeServer, tempDir, type CodeServer } from './processes';

export { setupE2eTools, findChromium, REPO_ROOT, CODE_SERVER_VERSION } from './processes';

/** The flags that make Debian's Chromium behave in a container without a display or GPU. */
export const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  // The training panel runs the engine on the webview's WebGPU (SwiftShader here); without
  // this flag Chromium on Linux offers no adapter and the panel falls back to the CPU.
  '--enable-unsafe-webgpu',
];

export interface SuiteOptions {
  /** The code-server entry point (from setupE2eTools). */
  codeServer: string;
  /** The Chromium executable (from setupE2eTools). */
  chromium: string;
  /** Absolute path of the suite module (CommonJS, exports run(): Promise<void>). */
  suitePath: string;
  /** A folder copied to a temporary workspace that the window opens. */
  workspaceFixture: string;
  /** The extension under development; defaults to the repository root. */
  extensionPath?: string;
  /** How long the suite may take once the workbench is loading; default 90 s. */
  timeoutMs?: number;
  /** Folder for screenshots; default test-results/ in the repository. */
  resultsDir?: string;
}

export interface SuiteResult {
  /** The suite's exit code (0 passed, non-zero failed), or null when it never finished. */
  exitCode: number | null;
  /** Why the run failed before the suite reported, for instance a timeout. */
  failure?: string;
  /** The extension host's and the workbench's console output, in order. */
  log: string[];
  /** code-server's own output. */
  serverLog: string[];
  /** The screenshot taken at the end, when one could be taken. */
  screenshot?: string;
  durationMs: number;
}

/** Builds the workbench URL that opens `folder` and runs the suite in the extension host. */
export function suiteUrl(origin: string, folder: string, extensionPath: string, suitePath: string): string {
  const authority = new URL(origin).host;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${authority}${extensionPath}`],
    ['extensionTestsPath', `vscode-remote://${authority}${suitePath}`],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  return `${origin}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * Turns a workbench console message into a plain line. Messages forwarded from the
 * extension host arrive styled (`'%c INFO', 'color: #33f', 'the message'`), so each `%c`
 * marker and the CSS argument that belongs to it are dropped.
 */
export function consoleLine(type: string, args: readonly string[]): string {
  const [first = '', ...rest] = args;
  const styles = first.split('%c').length - 1;
  const words = [first.replace(/%c/g, '').trim(), ...rest.slice(styles)].filter((w) => w !== '');
  return `[${type}] ${words.join(' ')}`;
}

/** Runs one suite in a fresh code-server and Chromium, and always cleans both up. */
export async function runVsCodeSuite(options: SuiteOptions): Promise<SuiteResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 90_000;
  const resultsDir = options.resultsDir ?? join(REPO_ROOT, 'test-results');
  const extensionPath = resolve(options.extensionPath ?? REPO_ROOT);
  const suiteName = basename(options.suitePath).replace(/\.(suite\.)?js$/, '');
  const log: string[] = [];
  const dirs: string[] = [];
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const result = (exitCode: number | null, extra: Partial<SuiteResult>): SuiteResult => ({
    exitCode,
    log,
    serverLog: server?.output ?? [],
    durationMs: Date.now() - started,
    ...extra,
  });

  try {
    const workspace = join(tempDir('netspec-e2e-ws-', dirs), 'workspace');
    cpSync(options.workspaceFixture, workspace, { recursive: true });
    try {
      server = await startCodeServer(options.codeServer, 30_000);
    } catch (e) {
      return result(null, { failure: (e as Error).message });
    }
    browser = await chromium.launch({
      executablePath: options.chromium,
      headless: true,
      // Playwright gives the browser a fresh temporary profile of its own.
      args: CHROMIUM_FLAGS,
      timeout: 30_000,
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const shown = page;
    page.on('console', (m: ConsoleMessage) => {
      const args = m.args().map((a) => a.toString());
      const line = consoleLine(m.type(), args.length > 0 ? args : [m.text()]);
      log.push(line);
      // A suite asks for a screenshot while the editor still shows its state (once it has
      // finished, the extension host exits and its diagnostics disappear from the window).
      const wanted = /netspec-e2e:screenshot ([a-z0-9_-]+)/.exec(line);
      if (wanted) {
        const path = join(resultsDir, `e2e-${suiteName}-${wanted[1]}.png`);
        mkdirSync(resultsDir, { recursive: true });
        shown.screenshot({ path, timeout: 10_000 }).then(
          () => log.push(`[harness] screenshot ${path}`),
          (e: Error) => log.push(`[harness] screenshot ${path} failed: ${e.message}`),
        );
      }
    });
    page.on('pageerror', (e: Error) => log.push(`[pageerror] ${e.message}`));

    let report: (code: number) => void = () => {};
    const exited = new Promise<number>((r) => (report = r));
    await page.exposeFunction('codeAutomationExit', (code: unknown) => {
      report(typeof code === 'number' ? code : Number(code));
    });

    const url = suiteUrl(server.origin, workspace, extensionPath, options.suitePath);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 30_000 });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const outcome = await Promise.race([exited, timedOut]);
    clearTimeout(timer);

    const code = outcome === 'timeout' ? null : outcome;
    const state = code === 0 ? 'pass' : 'fail';
    const screenshot = await screenshotTo(page, resultsDir, suiteName, state, log);
    if (code === null) {
      return result(null, {
        screenshot,
        failure: `the suite ${suiteName} did not report an exit code within ${timeoutMs / 1000} s (see the logs and ${screenshot ?? 'no screenshot'})`,
      });
    }
    return result(code, { screenshot });
  } catch (e) {
    const screenshot = page ? await screenshotTo(page, resultsDir, suiteName, 'fail', log) : undefined;
    return result(null, { screenshot, failure: `the harness failed: ${e instanceof Error ? e.message : String(e)}` });
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

/** Saves test-results/e2e-SUITE-STATE.png; a failed screenshot is logged, not thrown. */
async function screenshotTo(page: Page, dir: string, suite: string, state: 'pass' | 'fail', log: string[]): Promise<string | undefined> {
  try {
    mkdirSync(dir, { recursive: true });
    // A screenshot left from an earlier run with the other outcome would mislead.
    for (const stale of ['pass', 'fail']) rmSync(join(dir, `e2e-${suite}-${stale}.png`), { force: true });
    const path = join(dir, `e2e-${suite}-${state}.png`);
    // The workbench paints squiggles and the status bar a moment after the API sees them.
    await page.waitForTimeout(750);
    await page.screenshot({ path, timeout: 10_000 });
    return path;
  } catch (e) {
    log.push(`[harness] screenshot failed: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** A readable summary of a run, for assertion messages. */
export function describeRun(r: SuiteResult, lines = 60): string {
  return [
    `exit code: ${r.exitCode ?? 'none'} after ${(r.durationMs / 1000).toFixed(1)} s`,
    r.failure ? `failure: ${r.failure}` : '',
    r.screenshot ? `screenshot: ${r.screenshot}` : '',
    '--- console (last lines) ---',
    ...r.log.slice(-lines),
    '--- code-server (last lines) ---',
    ...r.serverLog.slice(-20),
  ]
    .filter((l) => l !== '')
    .join('\n');
}
