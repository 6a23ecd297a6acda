// Go to definition, find references and rename, all from CheckedFile.symbols: every
// identifier that the checker resolved records its definition and references, so these
// features never re-resolve names. Rename refuses keywords and layer names, and checks the
// new name is an identifier that does not clash in the symbol's scope.

import { findLayer } from '../../../engine/catalog/index';
import type { CheckedFile } from '../sema/checked';
import type { Span } from '../syntax/ast';
import { symbolAt, wordTokenAt } from './locate';
import type { TextEdit } from './types';

const KEYWORDS = new Set(['model', 'block', 'train', 'input', 'output', 'repeat', 'int', 'float', 'true', 'false']);
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The definition of the name at `offset`. */
export function definition(checked: CheckedFile, offset: number): Span | null {
  return symbolAt(checked, offset)?.symbol.def ?? null;
}

/** Every use of the name at `offset`, its definition first when asked for. */
export function references(checked: CheckedFile, offset: number, includeDeclaration: boolean): Span[] {
  const hit = symbolAt(checked, offset);
  if (!hit) return [];
  const refs = [...hit.symbol.refs].sort((a, b) => a.start - b.start);
  return includeDeclaration ? [hit.symbol.def, ...refs] : refs;
}

export type PrepareRenameResult = { span: Span; placeholder: string } | { error: string };

export function prepareRename(checked: CheckedFile, offset: number): PrepareRenameResult {
  const tok = wordTokenAt(checked.file.tokens, offset);
  if (!tok) return { error: 'Nothing to rename here.' };
  if (tok.kind === 'keyword') return { error: `\`${tok.text}\` is a keyword and cannot be renamed.` };
  const hit = symbolAt(checked, offset);
  if (!hit) {
    if (findLayer(tok.text)) return { error: `\`${tok.text}\` is a built-in layer and cannot be renamed.` };
    return { error: `\`${tok.text}\` is not a name defined in this file.` };
  }
  return { span: hit.span, placeholder: hit.symbol.name };
}

export type RenameResult = { edits: TextEdit[] } | { error: string };

export function rename(checked: CheckedFile, offset: number, newName: string): RenameResult {
  const prep = prepareRename(checked, offset);
  if ('error' in prep) return prep;
  if (!IDENT.test(newName)) return { error: `\`${newName}\` is not an identifier.` };
  if (KEYWORDS.has(newName)) return { error: `\`${newName}\` is a keyword.` };
  if (findLayer(newName)) return { error: `\`${newName}\` is the name of a built-in layer.` };
  const sym = symbolAt(checked, offset)!.symbol;
  const clash = checked.symbols.find(
    (s) => s !== sym && s.name === newName && (overlaps(s.scope, sym.scope) || s.kind === 'model' || s.kind === 'block'),
  );
  if (clash) return { error: `\`${newName}\` is already defined here.` };
  const spans = [sym.def, ...sym.refs];
  return { edits: spans.map((span) => ({ span, newText: newName })) };
}

function overlaps(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}
