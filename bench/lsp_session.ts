// A minimal LSP client for the benchmarks: spawns `node dist/server.js --stdio`, speaks
// JSON-RPC like an editor (initialize, didOpen, didChange, hover), waits for published diagnostics,
// and reads the server process's resident memory with `ps`.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export interface LspSession {
  connection: MessageConnection;
  process: ChildProcess;
  /** Resolves when diagnostics for `uri` arrive after the call. */
  nextDiagnostics(uri: string): Promise<unknown[]>;
  /** Resolves when diagnostics for `uri` at `version` or later arrive after the call. */
  diagnosticsAt(uri: string, version: number): Promise<unknown[]>;
  close(): Promise<void>;
}

export async function startServer(serverPath: string, rootDir: string): Promise<LspSession> {
  const child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  interface Waiter {
    minVersion: number;
    resolve: (d: unknown[]) => void;
  }
  const waiters = new Map<string, Waiter[]>();
  connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: unknown[] }) => {
    const list = waiters.get(p.uri) ?? [];
    const done = list.filter((w) => (p.version ?? Infinity) >= w.minVersion);
    const rest = list.filter((w) => !done.includes(w));
    if (rest.length > 0) waiters.set(p.uri, rest);
    else waiters.delete(p.uri);
    for (const w of done) w.resolve(p.diagnostics);
  });
  const wait = (uri: string, minVersion: number) =>
    new Promise<unknown[]>((resolve) => waiters.set(uri, [...(waiters.get(uri) ?? []), { minVersion, resolve }]));
  // The server may ask for configuration or register capabilities; answer politely.
  connection.onRequest(() => null);
  connection.onNotification(() => undefined);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(rootDir).href,
    capabilities: { textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] } } },
    workspaceFolders: null,
  });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    process: child,
    nextDiagnostics(uri) {
      return wait(uri, -Infinity);
    },
    diagnosticsAt(uri, version) {
      return wait(uri, version);
    },
    async close() {
      try {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
      } catch {
        // The server may already be gone; killing it below is enough.
      }
      connection.dispose();
      child.kill();
    },
  };
}

/** Resident set size of a process in MB, from `ps -o rss= -p PID` (kilobytes). */
export function rssMb(pid: number): number {
  const r = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  const kb = Number(r.stdout.trim());
  return Number.isFinite(kb) && kb > 0 ? kb / 1024 : NaN;
}
