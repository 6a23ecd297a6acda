// The language server: document sync (incremental), diagnostics pushed shortly after each
// open or change, the feature handlers (features.ts) and the custom requests the client uses
// to train (`netspec/modelIR`) and to show summaries (`netspec/summary`).

import {
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES } from '../ide/semantic_tokens';
import { modelIR, modelsJson } from '../ide/summary';
import { toDiagnostic } from './convert';
import { DocumentStates, uriToPath } from './documents';
import { registerFeatures } from './features';

/** How long diagnostics wait after a change, so a burst of keystrokes checks once. */
export const DIAGNOSTICS_DELAY_MS = 30;

export const MODEL_IR_REQUEST = 'netspec/modelIR';
export const SUMMARY_REQUEST = 'netspec/summary';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const states = new DocumentStates();
  const timers = new Map<string, NodeJS.Timeout>();

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
    timers.delete(uri);
    const doc = documents.get(uri);
    if (!doc) return;
    try {
      const snap = states.snapshot(doc);
      const diagnostics = snap.checked.diagnostics.map((d) => toDiagnostic(uri, snap.lines, d));
      void connection.sendDiagnostics({ uri, version: snap.version, diagnostics });
    } catch (err) {
      connection.console.error(`netspec: checking ${uri} failed: ${String(err)}`);
    }
  };

  const schedule = (uri: string, delay: number) => {
    const old = timers.get(uri);
    if (old) clearTimeout(old);
    timers.set(uri, setTimeout(() => publish(uri), delay));
  };

  documents.onDidOpen((e) => schedule(e.document.uri, 0));
  documents.onDidChangeContent((e) => schedule(e.document.uri, DIAGNOSTICS_DELAY_MS));
  documents.onDidClose((e) => {
    const t = timers.get(e.document.uri);
    if (t) clearTimeout(t);
    timers.delete(e.document.uri);
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

  documents.listen(connection);
}
