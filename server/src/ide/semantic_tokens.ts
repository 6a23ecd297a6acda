// Semantic tokens: a type for every meaningful token, from one linear pass over the lossless
// token list. Resolved names take their kind from CheckedFile.symbols (model and block are
// classes, tensors variables, block parameters and sizes parameters); the rest is decided
// from the neighbouring tokens: a name before `(` is a function (a layer, or csv/adam in a
// train block), a name before `=` inside parentheses or at a setting's start is a property,
// and activation, padding, loss and metric names are enum members.

import { ACTIVATIONS, INTERPOLATIONS, PADDINGS, findLayer } from '../../../engine/catalog/index';
import { LOSSES, METRICS } from '../../../engine/catalog/train/index';
import type { CheckedFile } from '../sema/checked';
import type { Token } from '../syntax/ast';
import { fileIndex, significantAfter } from './locate';
import type { SemanticTokenData } from './types';

export const SEMANTIC_TOKEN_TYPES = [
  'keyword',
  'function',
  'class',
  'variable',
  'parameter',
  'number',
  'string',
  'comment',
  'enumMember',
  'property',
] as const;
export const SEMANTIC_TOKEN_MODIFIERS = ['declaration', 'defaultLibrary'] as const;

export type SemanticTokenType = (typeof SEMANTIC_TOKEN_TYPES)[number];
const TYPE_INDEX = new Map<string, number>(SEMANTIC_TOKEN_TYPES.map((t, i) => [t, i]));
const DECLARATION = 1;
const DEFAULT_LIBRARY = 2;

const LAYER_ENUMS = new Set<string>([...ACTIVATIONS, ...PADDINGS, ...INTERPOLATIONS]);

/** Activation, padding, interpolation, loss and metric names (the train ones read from their catalog on each use). */
function isEnumValue(name: string): boolean {
  return LAYER_ENUMS.has(name) || LOSSES.some((l) => l.name === name) || METRICS.some((m) => m.name === name);
}

export function semanticTokens(checked: CheckedFile): SemanticTokenData[] {
  const out: SemanticTokenData[] = [];
  try {
    const tokens = checked.file.tokens;
    const index = fileIndex(checked);
    let depth = 0;
    const push = (t: Token, type: SemanticTokenType, modifiers = 0) =>
      out.push({ start: t.start, length: t.end - t.start, type: TYPE_INDEX.get(type)!, modifiers });
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      switch (t.kind) {
        case 'keyword':
          push(t, 'keyword');
          break;
        case 'number':
          push(t, 'number');
          break;
        case 'string':
          push(t, 'string');
          break;
        case 'comment':
          push(t, 'comment');
          break;
        case 'punct':
          if (t.text === '(' || t.text === '[') depth++;
          else if ((t.text === ')' || t.text === ']') && depth > 0) depth--;
          else if (t.text === '{' || t.text === '}') depth = 0;
          break;
        case 'ident': {
          const slot = index.symbolSlot(t.start);
          if (slot >= 0) {
            const kind = index.slotSymbol(slot).kind;
            const type: SemanticTokenType =
              kind === 'model' || kind === 'block' ? 'class' : kind === 'tensor' ? 'variable' : 'parameter';
            push(t, type, index.slotIsDef(slot) ? DECLARATION : 0);
            break;
          }
          const next = significantAfter(tokens, i);
          const nextText = next >= 0 && tokens[next].kind === 'punct' ? tokens[next].text : '';
          if (nextText === '(') push(t, 'function', findLayer(t.text) ? DEFAULT_LIBRARY : 0);
          else if (nextText === '=' && (depth > 0 || startsLine(tokens, i))) push(t, 'property');
          else if (isEnumValue(t.text)) push(t, 'enumMember');
          else if (findLayer(t.text)) push(t, 'function', DEFAULT_LIBRARY);
          else push(t, 'variable');
          break;
        }
        default:
          break;
      }
    }
  } catch {
    // Colouring is a convenience; return what was classified.
  }
  return out;
}

/** True when only whitespace precedes token `i` on its line. */
function startsLine(tokens: readonly Token[], i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const k = tokens[j].kind;
    if (k === 'newline') return true;
    if (k !== 'whitespace') return tokens[j].kind === 'punct' && tokens[j].text === '{';
  }
  return true;
}
