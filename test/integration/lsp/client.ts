// A minimal LSP client for the integration tests: builds dist/server.js, spawns it with
// `--stdio`, and speaks JSON-RPC through vscode-jsonrpc exactly as an editor does. It keeps
// every publishDiagnostics notification so tests can wait for the next one of a document.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import {
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
  type MessageConnection,
} from 'vscode-jsonrpc/node';

export const ROOT = join(__dirname, '..', '..', '..');
export const SERVER = join(ROOT, 'dist', 'server.js');

/** Bundles the server entry the way scripts/build.mjs does (only this entry). */
export async function buildServer(): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'server/src/lsp/main.ts')],
    outfile: SERVER,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    external: ['vscode', 'webgpu'],
    logLevel: 'error',
  });
  if (!existsSync(SERVER)) throw new Error('dist/server.js was not built');
}

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    severity?: number;
    code?: string | number;
    message: string;
    relatedInformation?: unknown[];
  }[];
}

export class TestClient {
  readonly connection: MessageConnection;
  readonly exited: Promise<number | null>;
  private readonly published: PublishedDiagnostics[] = [];
  private waiters: (() => void)[] = [];

  private constructor(readonly child: ChildProcess) {
    this.connection = createMessageConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      this.published.push(p);
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    });
    this.connection.onNotification('window/logMessage', () => {});
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/configuration', () => []);
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    this.connection.listen();
  }

  /** Starts dist/server.js; `nodeArgs` go to Node before the script (e.g. `--expose-gc`). */
  static start(nodeArgs: string[] = []): TestClient {
    const child = spawn(process.execPath, [...nodeArgs, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr!.on('data', () => {});
    return new TestClient(child);
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  notify(method: string, params: unknown): void {
    void this.connection.sendNotification(method, params);
  }

  /** Every publishDiagnostics received so far for `uri`, in arrival order. */
  publishedFor(uri: string): PublishedDiagnostics[] {
    return this.published.filter((p) => p.uri === uri);
  }

  /** The first diagnostics published for `uri` at `version` or later (waits up to 5 s). */
  async diagnosticsFor(uri: string, version: number): Promise<PublishedDiagnostics> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const hit = this.published.find((p) => p.uri === uri && (p.version ?? 0) >= version);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri} version ${version}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

/** Applies LSP text edits (non-overlapping) to a text. */
export function applyEdits(
  text: string,
  edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[],
): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const off = (p: { line: number; character: number }) => (lineStarts[p.line] ?? text.length) + p.character;
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}
