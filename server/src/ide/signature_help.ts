// Signature help: the signature of the call whose parentheses hold the cursor, with the
// active parameter taken from the keyword being written (`padding=`) or else from the
// number of commas before the cursor.

import { findLayer } from '../../../engine/catalog/index';
import type { CheckedFile } from '../sema/checked';
import { findBlock } from './ast_find';
import { argDoc, blockSignature, layerSignature } from './describe';
import { enclosingCall } from './locate';
import type { SignatureData } from './types';

export function signatureHelp(checked: CheckedFile, text: string, offset: number): SignatureData | null {
  try {
    const tokens = checked.file.tokens;
    const call = enclosingCall(tokens, offset);
    if (!call) return null;
    const name = tokens[call.callee].text;
    const spec = findLayer(name);
    if (spec) {
      const sig = layerSignature(spec);
      const names = spec.args.map((a) => a.name);
      return {
        label: sig.label.replace(/^[^(]*/, name),
        documentation: spec.summary,
        parameters: sig.params.map((range, i) => ({
          label: shift(range, name.length - spec.name.length),
          documentation: argDoc(spec.args[i]),
        })),
        activeParameter: activeIndex(names, call.currentKey, call.argIndex),
      };
    }
    const block = findBlock(checked.file.decls, name);
    if (!block) return null;
    const sig = blockSignature(block, text);
    const names = block.params.map((p) => p.name.name);
    return {
      label: sig.label,
      documentation: `Block \`${name}\`.`,
      parameters: sig.params.map((range, i) => ({ label: range, documentation: `Parameter \`${names[i]}\`.` })),
      activeParameter: activeIndex(names, call.currentKey, call.argIndex),
    };
  } catch {
    return null;
  }
}

function shift(r: [number, number], by: number): [number, number] {
  return [r[0] + by, r[1] + by];
}

function activeIndex(names: string[], key: string | null, argIndex: number): number {
  if (key !== null) {
    const i = names.indexOf(key);
    return i >= 0 ? i : names.length;
  }
  return Math.min(argIndex, Math.max(0, names.length - 1));
}
