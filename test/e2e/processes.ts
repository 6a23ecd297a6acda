// Process plumbing for the end-to-end harness: finding the tools (code-server in the cache
// folder, Debian's Chromium), picking a free port, starting code-server with throw-away
// profile folders, waiting until it answers, and stopping it with everything it spawned.
// It is separate from harness.ts so that the browser-driving part reads on its own.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
export const REPO_ROOT = resolve(__dirname, '..', '..');
export const CODE_SERVER_ENTRY = join(REPO_ROOT, '.cache', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** Where the tools are, or why they are not there. */
export type E2eTools = { ok: true; codeServer: string; chromium: string } | { ok: false; reason: string };

/** Finds Debian's Chromium on PATH (or $NETSPEC_CHROMIUM); undefined when it is absent. */
export function findChromium(): string | undefined {
  const explicit = process.env.NETSPEC_CHROMIUM;
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (existsSync(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' });
  const found = which.stdout?.trim();
  return found ? found : undefined;
}

/**
 * Runs scripts/e2e_setup.sh (idempotent: instant when code-server is cached) and reports
 * the tools, or the reason they are missing, without throwing.
 */
export function setupE2eTools(): E2eTools {
  const setup = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'e2e_setup.sh')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });
  const output = `${setup.stdout ?? ''}${setup.stderr ?? ''}`.trim();
  if (setup.error) return { ok: false, reason: `scripts/e2e_setup.sh could not run: ${setup.error.message}` };
  if (setup.status !== 0) return { ok: false, reason: `scripts/e2e_setup.sh failed (exit ${setup.status}):\n${output}` };
  if (!existsSync(CODE_SERVER_ENTRY)) {
    return { ok: false, reason: `scripts/e2e_setup.sh succeeded but ${CODE_SERVER_ENTRY} is missing:\n${output}` };
  }
  const chromium = findChromium();
  if (!chromium) return { ok: false, reason: 'Chromium is not installed (apt-get install -y chromium)' };
  return { ok: true, codeServer: CODE_SERVER_ENTRY, chromium };
}

/** Asks the kernel for a free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** A running code-server and the temporary folders that belong to it. */
export interface CodeServer {
  port: number;
  origin: string;
  process: ChildProcess;
  /** Everything the server printed, line by line (its extension host logs go here too). */
  output: string[];
  stop(): Promise<void>;
}

/** Makes a temporary folder that `cleanup` removes. */
export function tempDir(prefix: string, cleanup: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(dir);
  return dir;
}

/**
 * Starts code-server on a free port with fresh user-data, extensions and XDG folders, and
 * resolves once its health endpoint answers. Rejects with the server's output on failure.
 */
export async function startCodeServer(entry: string, readyTimeoutMs: number): Promise<CodeServer> {
  const dirs: string[] = [];
  const home = tempDir('netspec-e2e-home-', dirs);
  const port = await freePort();
  const args = [
    entry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--extensions-dir', join(home, 'extensions'),
    '--user-data-dir', join(home, 'user-data'),
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CACHE_HOME: join(home, 'cache'),
      XDG_RUNTIME_DIR: join(home, 'runtime'),
      // The server must not inherit a test runner's loader or an editor's IPC hooks.
      NODE_OPTIONS: '',
      VSCODE_IPC_HOOK_CLI: '',
      ELECTRON_RUN_AS_NODE: '',
    },
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) output.push(line);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));

  const stop = async () => {
    if (exited === undefined && child.pid) {
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // The group is already gone.
      }
      const timer = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // The group is already gone.
        }
      }, 3000);
      await gone;
      clearTimeout(timer);
    }
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  };

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      await stop();
      throw new Error(`code-server exited with code ${exited} before it was ready:\n${output.slice(-30).join('\n')}`);
    }
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.ok) return { port, origin, process: child, output, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`code-server did not answer on ${origin} within ${readyTimeoutMs / 1000} s:\n${output.slice(-30).join('\n')}`);
}
