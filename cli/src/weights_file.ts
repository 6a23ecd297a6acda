// Writes a weights file so that a reader, a crash or a second writer never sees half of one
// (the naming rules are engine/catalog/weights_file.ts's). Each write goes to its own
// temporary file beside the target (process id and random part in the name), is written
// in full, flushed to the disk (fsync), renamed over the target, and then the folder is
// flushed too where the platform allows, so after a power cut the name points at a whole
// file. The temporary file is removed on every path that can run code: a failed write, a
// rename refused, and a process that exits on a signal (an exit hook removes the writes in
// flight). SIGKILL runs no code, so a killed writer may leave its temporary file; the target
// is then still the previous whole file (or absent), and the next run removes such leftovers
// of dead processes with removeStaleTemps before it writes.

import { randomBytes } from 'node:crypto';
import { constants, unlinkSync } from 'node:fs';
import { access, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { weightsTempName, weightsTempPid } from '../../engine/catalog/weights_file';

/** Temporary files being written now, removed synchronously if the process exits first. */
const inFlight = new Set<string>();
let exitHookSet = false;

function removeInFlightSync(): void {
  for (const tmp of inFlight) {
    try {
      unlinkSync(tmp);
    } catch {
      // Already renamed or never created: nothing to remove.
    }
  }
  inFlight.clear();
}

/** Hooks that tests use to fail a write at a chosen step. */
export interface WriteHooks {
  /** Called after the temporary file is opened and before its bytes are written. */
  beforeWrite?(tmp: string): Promise<void> | void;
}

/** The temporary path for one write of `target`: same folder, this process's id, 8 random bytes. */
export function tempPathFor(target: string): string {
  return join(dirname(target), weightsTempName(basename(target), process.pid, randomBytes(8).toString('hex')));
}

/** Flushes a folder's entries (the rename) to the disk; platforms that cannot (Windows) are skipped. */
async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Opening or syncing a folder is not supported everywhere; the rename itself is done.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Writes `bytes` to `target` atomically: a unique temporary file, fsync, rename, folder
 * fsync. On failure the temporary file is removed and the error is thrown (the target is
 * untouched).
 */
export async function writeWeightsFile(target: string, bytes: Uint8Array, hooks: WriteHooks = {}): Promise<void> {
  if (!exitHookSet) {
    exitHookSet = true;
    process.on('exit', removeInFlightSync);
  }
  const tmp = tempPathFor(target);
  inFlight.add(tmp);
  try {
    // 'wx': the name is new, so no other write's file is ever opened by mistake.
    const handle = await open(tmp, 'wx');
    try {
      await hooks.beforeWrite?.(tmp);
      let at = 0;
      while (at < bytes.length) at += (await handle.write(bytes, at, bytes.length - at)).bytesWritten;
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  } finally {
    inFlight.delete(tmp);
  }
  await syncFolder(dirname(target));
}

/** True when a process with this id exists (a process we may not signal still exists). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/**
 * Removes the temporary files of `target` that dead processes left (a SIGKILL during a
 * write) and returns their names. Files of live processes are kept (another run may be
 * writing); a file with this process's id that none of its writes is using is a leftover
 * of an earlier process that had the same id, and is removed.
 */
export async function removeStaleTemps(target: string): Promise<string[]> {
  const folder = dirname(target);
  const name = basename(target);
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const pid = weightsTempPid(name, entry);
    if (pid === null) continue;
    const path = join(folder, entry);
    if (inFlight.has(path)) continue;
    if (pid !== process.pid && alive(pid)) continue;
    try {
      await unlink(path);
      removed.push(entry);
    } catch {
      // Another run removed it first.
    }
  }
  return removed;
}

/**
 * Why `target` cannot be written, as an error carrying the system's code (ENOENT: no such
 * folder, ENOTDIR, EISDIR: the target is a folder, EACCES), or null when it can; checked
 * before training so a bad output fails at once rather than after the first epoch.
 */
export async function outputProblem(target: string): Promise<NodeJS.ErrnoException | null> {
  const fail = (code: string) => Object.assign(new Error(code), { code });
  try {
    const folder = await stat(dirname(target));
    if (!folder.isDirectory()) return fail('ENOTDIR');
    await access(dirname(target), constants.W_OK);
  } catch (e) {
    return e as NodeJS.ErrnoException;
  }
  try {
    if ((await stat(target)).isDirectory()) return fail('EISDIR');
  } catch {
    // No file yet: it will be created.
  }
  return null;
}
