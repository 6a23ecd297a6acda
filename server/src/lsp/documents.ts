// Per-document state: one IncrementalChecker per open document, and the checked result of
// the document's current version together with its line index. Features ask for the
// current state and get a result for exactly the text the editor holds; the check runs at
// most once per version.

import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CheckedFile } from '../sema/checked';
import { IncrementalChecker } from '../sema/incremental';
import { LineIndex } from '../syntax/positions';

export interface DocSnapshot {
  uri: string;
  text: string;
  version: number;
  checked: CheckedFile;
  lines: LineIndex;
}

/** The file system path of a `file:` URI, for resolving data paths; undefined otherwise. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export class DocumentStates {
  private readonly states = new Map<string, { checker: IncrementalChecker; snapshot: DocSnapshot | null }>();

  /** The checked snapshot of the document's current version (checking it when stale). */
  snapshot(doc: TextDocument): DocSnapshot {
    let state = this.states.get(doc.uri);
    if (!state) {
      state = { checker: new IncrementalChecker(), snapshot: null };
      this.states.set(doc.uri, state);
    }
    const old = state.snapshot;
    if (old && old.version === doc.version) return old;
    const text = doc.getText();
    const checked = state.checker.update(text, uriToPath(doc.uri));
    const snap: DocSnapshot = { uri: doc.uri, text, version: doc.version, checked, lines: new LineIndex(text) };
    state.snapshot = snap;
    return snap;
  }

  close(uri: string): void {
    this.states.delete(uri);
  }
}
