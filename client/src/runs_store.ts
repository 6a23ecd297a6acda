// The runs recorded beside a model (engine/catalog/run_record.ts, docs/runs.md) as the
// extension host reads and changes them: where the runs folder is (`netspec.runsFolder`),
// the list of a model's runs, one run's epochs for the overlay, renaming and deleting. Node's
// fs is the right tool here: the extension host runs where the workspace's files are, the
// remote side included. Damaged folders are skipped, never thrown.

import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { modelRunsFolder, RUN_FILES, RUN_FORMAT, RUNS_FOLDER, type RunEpochLine, type RunFs, type RunRecord } from '../../engine/catalog/run_record';

export const nodeRunFs: RunFs = {
  mkdir: async (p) => void (await mkdir(p, { recursive: true })),
  async writeAtomic(p, data) {
    const tmp = `${p}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
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

/** The runs folder for a model file: `netspec-runs` beside it, or the setting (relative: against the workspace folder). */
export function runsRoot(modelFile: string, setting: string, workspaceFolder?: string): string {
  const beside = path.dirname(modelFile);
  if (!setting) return path.join(beside, RUNS_FOLDER);
  return path.resolve(workspaceFolder ?? beside, setting);
}

/** A recorded run and its folder. */
export interface StoredRun {
  folder: string;
  record: RunRecord;
}

/** The runs of `model` under `root`, newest first. */
export async function listRuns(root: string, model: string): Promise<StoredRun[]> {
  const dir = modelRunsFolder(root, model);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const runs: StoredRun[] = [];
  for (const name of names) {
    const folder = path.join(dir, name);
    const record = await readRecord(folder);
    if (record) runs.push({ folder, record });
  }
  return runs.sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt));
}

async function readRecord(folder: string): Promise<RunRecord | null> {
  try {
    const r = JSON.parse(await readFile(path.join(folder, RUN_FILES.run), 'utf8')) as RunRecord;
    return r && r.format === RUN_FORMAT && typeof r.id === 'string' ? r : null;
  } catch {
    return null;
  }
}

/** A run's epochs (epochs.jsonl), skipping a torn last line of a run that was killed. */
export async function readEpochs(folder: string): Promise<RunEpochLine[]> {
  let text: string;
  try {
    text = await readFile(path.join(folder, RUN_FILES.epochs), 'utf8');
  } catch {
    return [];
  }
  const out: RunEpochLine[] = [];
  for (const line of text.split('\n')) {
    try {
      if (line.trim()) out.push(JSON.parse(line) as RunEpochLine);
    } catch {
      // A line cut short by a kill; the ones before it stand.
    }
  }
  return out;
}

/** Renames a run (its `name` in run.json; the folder keeps its id). */
export async function renameRun(folder: string, name: string): Promise<boolean> {
  const record = await readRecord(folder);
  if (!record) return false;
  record.name = name.trim().slice(0, 120) || record.name;
  await nodeRunFs.writeAtomic(path.join(folder, RUN_FILES.run), JSON.stringify(record, null, 2) + '\n');
  return true;
}

/** Deletes a run's folder, only when it is a run folder (it holds a run.json of this format). */
export async function deleteRun(folder: string): Promise<boolean> {
  if (!(await readRecord(folder))) return false;
  await rm(folder, { recursive: true, force: true });
  return true;
}
