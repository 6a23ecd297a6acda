// `vscode.workspace.fs` behind the small file system interfaces that data_files.ts and
// weights_writer.ts are written against. Going through the workspace file system (rather
// than node:fs) keeps reading and writing right in remote and virtual workspaces.

import { FileType, Uri, workspace } from 'vscode';
import type { DataFs } from './data_files';
import type { WriteFs } from './weights_writer';

export const workspaceDataFs: DataFs = {
  async readFile(p) {
    return workspace.fs.readFile(Uri.file(p));
  },
  async readDirectory(p) {
    const entries = await workspace.fs.readDirectory(Uri.file(p));
    return entries.map(([name, type]) => [
      name,
      type & FileType.Directory ? 'dir' : type & FileType.File ? 'file' : 'other',
    ]);
  },
};

export const workspaceWriteFs: WriteFs = {
  async writeFile(p, bytes) {
    await workspace.fs.writeFile(Uri.file(p), bytes);
  },
  async rename(from, to) {
    await workspace.fs.rename(Uri.file(from), Uri.file(to), { overwrite: true });
  },
  async remove(p) {
    await workspace.fs.delete(Uri.file(p), { useTrash: false });
  },
  async mkdir(p) {
    await workspace.fs.createDirectory(Uri.file(p));
  },
};
