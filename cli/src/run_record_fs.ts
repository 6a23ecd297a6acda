// The run record (engine/catalog/run_record.ts) on Node's fs for `netspec train`: where it
// goes (`--runs DIR`, by default `netspec-runs` beside the model file, the editor's
// default too) and the atomic writes, through a temporary file named as the weights'
// temporary files are (engine/catalog/weights_file.ts), so a killed run leaves whole files.

import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { modelRunsFolder, RUNS_FOLDER, runFolderName, type RunFs } from '../../engine/catalog/run_record';
import { weightsTempName } from '../../engine/catalog/weights_file';

export const runFs: RunFs = {
  mkdir: async (p) => void (await mkdir(p, { recursive: true })),
  async writeAtomic(p, data) {
    const tmp = join(dirname(p), weightsTempName(basename(p), process.pid, randomBytes(6).toString('hex')));
    try {
      await writeFile(tmp, data);
      await rename(tmp, p);
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw e;
    }
  },
  append: (p, text) => appendFile(p, text),
};

/** A new run's folder: RUNS/MODEL/DATE-TIME-ID, RUNS being `--runs` or `netspec-runs` beside the model file. */
export function cliRunFolder(modelFile: string, model: string, runsOption: string | undefined, date = new Date()): string {
  const root = runsOption ?? join(dirname(modelFile), RUNS_FOLDER);
  return join(modelRunsFolder(root, model), runFolderName(date, randomBytes(3).toString('hex')));
}
