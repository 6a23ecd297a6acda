// Writes an export's files so that the folder the user named is either the complete new
// export or untouched: every file goes into a uniquely named temporary folder beside the
// target, which replaces the target by rename only when all of them were written. A failure
// at any point removes the temporary folder and leaves the previous export in place.

import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ExportFile } from '../../engine/src/export/types';

export type WriteResult = { ok: true; bytes: number } | { ok: false; message: string };

function code(e: unknown): string {
  return (e as { code?: string }).code ?? 'EIO';
}

/** Writes `files` into the folder `out` (created or replaced as a whole). */
export async function writeExportFolder(out: string, files: ExportFile[]): Promise<WriteResult> {
  const parent = dirname(out);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(parent, `.${basename(out)}.tmp-${tag}`);
  const old = join(parent, `.${basename(out)}.old-${tag}`);
  let bytes = 0;
  try {
    await mkdir(parent, { recursive: true });
    await mkdir(temp);
  } catch (e) {
    return { ok: false, message: `cannot create a folder in ${parent} (${code(e)})` };
  }
  try {
    for (const f of files) {
      if (f.path.split('/').some((part) => part === '..' || part === '')) throw Object.assign(new Error(), { code: 'EINVAL' });
      const target = join(temp, ...f.path.split('/'));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.data);
      bytes += typeof f.data === 'string' ? Buffer.byteLength(f.data) : f.data.length;
    }
    let replaced = false;
    try {
      await rename(out, old);
      replaced = true;
    } catch (e) {
      if (code(e) !== 'ENOENT') throw e;
    }
    await rename(temp, out);
    if (replaced) await rm(old, { recursive: true, force: true });
    return { ok: true, bytes };
  } catch (e) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    return { ok: false, message: `cannot write the export to ${out} (${code(e)}); nothing was written` };
  }
}
