// The language server: document sync (incremental), diagnostics pushed as soon as the
// edits already received are applied (no debounce timer), the feature handlers (features.ts) and the custom requests the client uses
// to train (`netspec/modelIR`), to show summaries (`netspec/summary`) and to draw the model
// view (`netspec/modelGraph`).

import {
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES } from '../ide/semantic_tokens';
import { modelGraphs } from '../ide/model_graph';
import type { ModelGraphAnswer } from '../ide/model_graph_types';
import { modelIR, modelsJson } from '../ide/summary';
import { toDiagnostic } from './convert';
import { DocumentStates, uriToPath } from './documents';
import { registerFeatures } from './features';

/**
 * A check waiting for the edits already received to be applied: `edited` says an edit came
 * since the last step, and the check runs at the first step that finds none.
 */
interface PendingCheck {
  immediate: NodeJS.Immediate | null;
  edited: boolean;
  /** Steps that found a new edit; an endless stream of edits still gets a check this often. */
  deferrals: number;
}

const MAX_DEFERRALS = 200;

export const MODEL_IR_REQUEST = 'netspec/modelIR';
export const SUMMARY_REQUEST = 'netspec/summary';
export const MODEL_GRAPH_REQUEST = 'netspec/modelGraph';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const states = new DocumentStates();
  const checks = new Map<string, PendingCheck>();
  /** The newest version whose diagnostics went out, per document; never one older after it. */
  const publishedVersions = new Map<string, number>();

  connection.onInitialize(
    (): InitializeResult => ({
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['(', ',', '=', '>', ' ', '['], resolveProvider: false },
        signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: ['='] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        semanticTokensProvider: {
          legend: { tokenTypes: [...SEMANTIC_TOKEN_TYPES], tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS] },
          full: true,
        },
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        codeLensProvider: { resolveProvider: false },
        documentFormattingProvider: true,
        inlayHintProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'netspec', version: '0.1.0' },
    }),
  );

  const publish = (uri: string) => {
    const doc = documents.get(uri);
    if (!doc) return;
    try {
      const snap = states.snapshot(doc);
      // The check is synchronous, so the snapshot is of the current version; the guards keep
      // that true should the check ever yield, and keep versions monotonic per document.
      if (snap.version !== documents.get(uri)?.version) return;
      if (snap.version < (publishedVersions.get(uri) ?? -Infinity)) return;
      publishedVersions.set(uri, snap.version);
      const diagnostics = snap.checked.diagnostics.map((d) => toDiagnostic(uri, snap.lines, d));
      void connection.sendDiagnostics({ uri, version: snap.version, diagnostics });
    } catch (err) {
      connection.console.error(`netspec: checking ${uri} failed: ${String(err)}`);
    }
  };

  // Diagnostics without a debounce: an edit to an idle document requests a check at once,
  // and the check runs as soon as the edits already received are applied. vscode-jsonrpc
  // dispatches one queued message per setImmediate, so a step (one setImmediate) that finds
  // no edit since the previous step knows the burst has been applied and checks the latest
  // version once. The check is synchronous: edits that arrive while it runs wait in the
  // pipe, and the first of them afterwards requests the one more check, which again waits
  // for the rest of them and checks only the latest version.
  const step = (uri: string) => {
    const pending = checks.get(uri);
    if (!pending) return;
    pending.immediate = null;
    if (pending.edited && pending.deferrals < MAX_DEFERRALS) {
      pending.edited = false;
      pending.deferrals++;
      pending.immediate = setImmediate(step, uri);
      return;
    }
    checks.delete(uri);
    publish(uri);
  };

  const requestCheck = (uri: string) => {
    let pending = checks.get(uri);
    if (!pending) {
      pending = { immediate: null, edited: false, deferrals: 0 };
      checks.set(uri, pending);
    }
    pending.edited = true;
    if (!pending.immediate) pending.immediate = setImmediate(step, uri);
  };

  // onDidOpen is followed by onDidChangeContent for the same version; both request a check
  // and the two requests make one.
  documents.onDidOpen((e) => requestCheck(e.document.uri));
  documents.onDidChangeContent((e) => requestCheck(e.document.uri));
  documents.onDidClose((e) => {
    const pending = checks.get(e.document.uri);
    if (pending?.immediate) clearImmediate(pending.immediate);
    checks.delete(e.document.uri);
    publishedVersions.delete(e.document.uri);
    states.close(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  registerFeatures(connection, documents, states);

  // An unopened document answers without `train` and `trained`, as before they existed.
  connection.onRequest(MODEL_IR_REQUEST, (params: { uri: string; model?: string }): object => {
    const doc = documents.get(params?.uri);
    if (!doc) return { models: [], ir: null };
    return modelIR(states.snapshot(doc).checked, params.model, uriToPath(doc.uri));
  });

  connection.onRequest(SUMMARY_REQUEST, (params: { uri: string }) => {
    const doc = documents.get(params?.uri);
    return doc ? modelsJson(states.snapshot(doc).checked) : [];
  });

  // The model view's graphs, of the version the edits received so far make (null: not open).
  connection.onRequest(MODEL_GRAPH_REQUEST, (params: { uri: string }): ModelGraphAnswer | null => {
    const doc = documents.get(params?.uri);
    if (!doc) return null;
    const snap = states.snapshot(doc);
    return { uri: doc.uri, version: snap.version, models: modelGraphs(snap.checked, snap.text) };
  });

  documents.listen(connection);
}
