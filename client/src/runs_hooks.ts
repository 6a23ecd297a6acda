// The runs list's actions in the editor: list a model's runs from the folder the settings
// name, read the picked runs' curves, rename (an input box), delete (a modal
// confirmation), export (Export Model with the run's weights), the weights Predict on a file
// uses, and re-run (the Train command with the run's recorded settings). The files themselves
// are runs_store.ts's business.

import * as path from 'node:path';
import { Uri, commands, window, workspace } from 'vscode';
import { RUN_FILES } from '../../engine/catalog/run_record';
import { EXPORT_COMMAND } from './export_plan';
import type { RunsHooks, RunContext } from './panel_channel';
import type { RerunRequest } from './rerun_plan';
import { readSettings } from './settings';
import { TRAIN_COMMAND } from './train_plan';
import { deleteRun, listRuns, readEpochs, renameRun, runsRoot, type StoredRun } from './runs_store';

function rootOf(ctx: RunContext): string {
  const uri = Uri.parse(ctx.sourceUri);
  const folder = workspace.getWorkspaceFolder(uri);
  const settings = readSettings(workspace.getConfiguration('netspec', uri));
  return runsRoot(uri.fsPath, settings.runsFolder, folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined);
}

async function find(ctx: RunContext, id: string): Promise<StoredRun | undefined> {
  return (await listRuns(rootOf(ctx), ctx.model)).find((r) => r.record.id === id);
}

export const editorRunsHooks: RunsHooks = {
  async list(ctx) {
    return (await listRuns(rootOf(ctx), ctx.model)).map((r) => r.record);
  },
  async curves(ctx, ids) {
    const runs = await listRuns(rootOf(ctx), ctx.model);
    const picked = runs.filter((r) => ids.includes(r.record.id));
    return Promise.all(picked.map(async (r) => ({ id: r.record.id, name: r.record.name, epochs: await readEpochs(r.folder) })));
  },
  async rename(ctx, id) {
    const run = await find(ctx, id);
    if (!run) return false;
    const name = await window.showInputBox({ prompt: `A name for the run of ${ctx.model} started ${run.record.createdAt}`, value: run.record.name });
    if (name === undefined || name.trim() === '' || name === run.record.name) return false;
    return renameRun(run.folder, name);
  },
  async exportRun(ctx, id) {
    const run = await find(ctx, id);
    if (!run) return;
    await commands.executeCommand(EXPORT_COMMAND, { uri: ctx.sourceUri, model: ctx.model, weights: path.join(run.folder, RUN_FILES.weights) });
  },
  async weightsOf(ctx, id) {
    const run = await find(ctx, id);
    return run ? { name: run.record.name, weights: path.join(run.folder, RUN_FILES.weights) } : undefined;
  },
  async rerun(ctx, id) {
    const run = await find(ctx, id);
    if (!run) {
      void window.showErrorMessage(`Netspec: the run ${id} of ${ctx.model} cannot be re-run: its record is gone from the runs folder.`);
      return;
    }
    const rerun: RerunRequest = { id: run.record.id, name: run.record.name, settings: run.record.settings };
    // Not awaited: the Train command resolves when the new run ends.
    void commands.executeCommand(TRAIN_COMMAND, { uri: ctx.sourceUri, model: ctx.model, rerun });
  },
  async remove(ctx, id) {
    const run = await find(ctx, id);
    if (!run) return false;
    const ok = await window.showWarningMessage(`Netspec: delete the run "${run.record.name}" of ${ctx.model}? Its folder (${run.folder}) and its weights are removed.`, { modal: true }, 'Delete Run');
    if (ok !== 'Delete Run') return false;
    return deleteRun(run.folder);
  },
};
