// The LSP handlers of the IDE features: each one takes the document's checked snapshot,
// converts the request's positions to offsets, calls the plain function in server/src/ide
// and converts the answer back. A failing feature answers empty rather than erroring.

import {
  CodeActionKind,
  CompletionItemKind,
  FoldingRangeKind,
  InlayHintKind,
  InsertTextFormat,
  MarkupKind,
  LSPErrorCodes,
  ResponseError,
  SymbolKind,
  type CompletionItem,
  type Connection,
  type DocumentSymbol,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions } from '../ide/code_actions';
import { codeLenses } from '../ide/code_lens';
import { complete } from '../ide/completion';
import { foldingRanges } from '../ide/folding';
import { formatText } from '../ide/format';
import { hover } from '../ide/hover';
import { inlayHints } from '../ide/inlay_hints';
import { definition, prepareRename, references, rename } from '../ide/navigation';
import { semanticTokens } from '../ide/semantic_tokens';
import { signatureHelp } from '../ide/signature_help';
import { documentSymbols } from '../ide/symbols';
import type { CompletionKind, OutlineKind, OutlineSymbol } from '../ide/types';
import { toDiagnostic, toRange, toSpan, toTextEdit, type Positions } from './convert';
import type { DocSnapshot, DocumentStates } from './documents';

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  layer: CompletionItemKind.Function,
  block: CompletionItemKind.Class,
  argument: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  tensor: CompletionItemKind.Variable,
  keyword: CompletionItemKind.Keyword,
  setting: CompletionItemKind.Property,
  function: CompletionItemKind.Function,
  model: CompletionItemKind.Class,
};

const OUTLINE_KIND: Record<OutlineKind, SymbolKind> = {
  model: SymbolKind.Class,
  block: SymbolKind.Function,
  train: SymbolKind.Event,
  input: SymbolKind.Variable,
  output: SymbolKind.Variable,
  tensor: SymbolKind.Variable,
  layer: SymbolKind.Method,
  repeat: SymbolKind.Array,
  setting: SymbolKind.Property,
};

function toDocumentSymbol(lines: Positions, s: OutlineSymbol): DocumentSymbol {
  return {
    name: s.name || '?',
    detail: s.detail,
    kind: OUTLINE_KIND[s.kind],
    range: toRange(lines, s.span),
    selectionRange: toRange(lines, s.selectionSpan),
    children: s.children.map((c) => toDocumentSymbol(lines, c)),
  };
}

export function registerFeatures(connection: Connection, documents: TextDocuments<TextDocument>, states: DocumentStates): void {
  /** Runs `fn` on the document's snapshot; a missing document or a failure answers `empty`. */
  function withDoc<T>(uri: string, empty: T, fn: (snap: DocSnapshot) => T): T {
    const doc = documents.get(uri);
    if (!doc) return empty;
    try {
      return fn(states.snapshot(doc));
    } catch (err) {
      connection.console.error(`netspec: ${String(err)}`);
      return empty;
    }
  }

  connection.onHover((p) =>
    withDoc(p.textDocument.uri, null, (s) => {
      const h = hover(s.checked, s.text, s.lines.offsetAt(p.position));
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: toRange(s.lines, h.span) } : null;
    }),
  );

  connection.onCompletion((p) =>
    withDoc(p.textDocument.uri, [] as CompletionItem[], (s) =>
      complete(s.checked, s.text, s.lines.offsetAt(p.position)).map((c) => ({
        label: c.label,
        kind: COMPLETION_KIND[c.kind],
        detail: c.detail,
        labelDetails: c.labelDetail !== undefined || c.labelDescription !== undefined ? { detail: c.labelDetail, description: c.labelDescription } : undefined,
        documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
        insertText: c.insertText,
        insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        sortText: c.sortText,
      })),
    ),
  );

  connection.onSignatureHelp((p) =>
    withDoc(p.textDocument.uri, null, (s) => {
      const sig = signatureHelp(s.checked, s.text, s.lines.offsetAt(p.position));
      if (!sig) return null;
      return {
        signatures: [
          {
            label: sig.label,
            documentation: { kind: MarkupKind.Markdown, value: sig.documentation },
            parameters: sig.parameters.map((q) => ({ label: q.label, documentation: { kind: MarkupKind.Markdown, value: q.documentation } })),
          },
        ],
        activeSignature: 0,
        activeParameter: sig.activeParameter,
      };
    }),
  );

  connection.onDefinition((p) =>
    withDoc(p.textDocument.uri, null, (s) => {
      const span = definition(s.checked, s.lines.offsetAt(p.position));
      return span ? { uri: s.uri, range: toRange(s.lines, span) } : null;
    }),
  );

  connection.onReferences((p) =>
    withDoc(p.textDocument.uri, [], (s) =>
      references(s.checked, s.lines.offsetAt(p.position), p.context.includeDeclaration).map((span) => ({
        uri: s.uri,
        range: toRange(s.lines, span),
      })),
    ),
  );

  connection.onPrepareRename((p) => {
    const r = withDoc(p.textDocument.uri, null, (s) => {
      const res = prepareRename(s.checked, s.lines.offsetAt(p.position));
      return 'error' in res ? res : { range: toRange(s.lines, res.span), placeholder: res.placeholder };
    });
    // LSP: "If null is returned then it is deemed that a 'textDocument/rename' request is not
    // valid at the given position"; an error is for a request that failed, which this is not.
    if (!r || 'error' in r) return null;
    return r;
  });

  connection.onRenameRequest((p) => {
    const r = withDoc(p.textDocument.uri, null, (s) => {
      const res = rename(s.checked, s.lines.offsetAt(p.position), p.newName);
      return 'error' in res ? res : { changes: { [s.uri]: res.edits.map((e) => toTextEdit(s.lines, e)) } };
    });
    // A rename the server refuses is a failed request (LSP's RequestFailed), with the reason.
    if (r && 'error' in r) return new ResponseError(LSPErrorCodes.RequestFailed, r.error);
    return r;
  });

  connection.onDocumentSymbol((p) =>
    withDoc(p.textDocument.uri, [], (s) => documentSymbols(s.checked, s.text).map((d) => toDocumentSymbol(s.lines, d))),
  );

  connection.onFoldingRanges((p) =>
    withDoc(p.textDocument.uri, [], (s) =>
      foldingRanges(s.checked, s.text).map((f) => ({
        startLine: s.lines.positionAt(f.start).line,
        endLine: s.lines.positionAt(f.end).line,
        kind: f.kind === 'comment' ? FoldingRangeKind.Comment : FoldingRangeKind.Region,
      })),
    ),
  );

  connection.languages.semanticTokens.on((p) =>
    withDoc(p.textDocument.uri, { data: [] as number[] }, (s) => {
      const data: number[] = [];
      let line = 0;
      let char = 0;
      for (const t of semanticTokens(s.checked)) {
        const pos = s.lines.positionAt(t.start);
        data.push(pos.line - line, pos.line === line ? pos.character - char : pos.character, t.length, t.type, t.modifiers);
        line = pos.line;
        char = pos.character;
      }
      return { data };
    }),
  );

  connection.onCodeAction((p) =>
    withDoc(p.textDocument.uri, [], (s) =>
      codeActions(s.checked, s.text, toSpan(s.lines, p.range)).map((a) => ({
        title: a.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [toDiagnostic(s.uri, s.lines, a.diagnostic)],
        isPreferred: a.isPreferred,
        edit: { changes: { [s.uri]: a.edits.map((e) => toTextEdit(s.lines, e)) } },
      })),
    ),
  );

  connection.onCodeLens((p) =>
    withDoc(p.textDocument.uri, [], (s) =>
      codeLenses(s.checked, s.uri, s.text).map((l) => ({
        range: toRange(s.lines, l.span),
        command: { title: l.title, command: l.command?.command ?? '', arguments: l.command?.arguments },
      })),
    ),
  );

  connection.onDocumentFormatting((p) =>
    withDoc(p.textDocument.uri, [], (s) =>
      formatText(s.text, { tabSize: p.options.tabSize, insertSpaces: p.options.insertSpaces }).map((e) => toTextEdit(s.lines, e)),
    ),
  );

  connection.languages.inlayHint.on((p) =>
    withDoc(p.textDocument.uri, [], (s) =>
      inlayHints(s.checked, s.text, toSpan(s.lines, p.range)).map((h) => ({
        position: s.lines.positionAt(h.offset),
        label: h.label,
        kind: InlayHintKind.Type,
        paddingLeft: true,
        tooltip: h.tooltip,
      })),
    ),
  );
}
