// What the walker and the call resolver both read from a frame's scope: how identifiers in
// argument values resolve (block parameters, then sizes), and which bound tensors went
// unused. Kept apart from both so that neither imports the other for it.

import type { Ident } from '../../syntax/ast';
import type { ValueEnv } from './args';
import type { Frame, Walk } from './state';

/** Resolves identifiers in argument values: block parameters, then sizes, else enum words. */
export function valueEnv(w: Walk, frame: Frame): ValueEnv {
  return (frame.env ??= {
    lookup(id: Ident) {
      const p = frame.params.get(id.name);
      if (p) {
        w.symbols.ref(p.def, id.span);
        return p.value;
      }
      const s = frame.sizes.get(id.name);
      if (s) {
        w.symbols.ref(s.def, id.span);
        return typeof s.dim === 'number' ? s.dim : { sym: s.dim };
      }
      return undefined;
    },
  });
}

/** Warns about tensors that are bound and never used (outputs and the final tensor excepted). */
export function reportUnused(w: Walk, frame: Frame): void {
  const outputs = new Set(frame.outputs.map((o) => o.tensor.def?.start));
  for (const o of frame.outputs) outputs.add(o.def.start);
  const last = frame.outputs.length === 0 ? frame.current?.def?.start : undefined;
  for (const [name, b] of frame.tensors) {
    // A tensor whose shape is unknown already has an error; one that an unknown name was
    // probably meant to reference is not really unused.
    if (w.used.has(b.def.start) || outputs.has(b.def.start) || b.def.start === last) continue;
    if (b.tensor.shape === null || w.suggested.has(name)) continue;
    const what = b.isInput ? `the input \`${name}\`` : `\`${name}\``;
    w.report(frame, 'unused', b.def, `${what} is ${b.isInput ? 'declared' : 'computed'} but never used`);
  }
}
