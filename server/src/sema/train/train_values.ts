// Small readings of train-block values shared by the train checker and the data checker
// (kept apart from both so neither imports the other): how a value is named in a message,
// and which loss each model output is trained with.

import type { Expr } from '../../syntax/ast';
import type { ModelFacts } from '../context';

/** A value as a message names it: `0.5`, `adam(...)`, `a list`. */
export function describe(v: Expr): string {
  switch (v.kind) {
    case 'Number':
      return String(v.value);
    case 'Ident':
      return v.name;
    case 'String':
      return JSON.stringify(v.value);
    case 'Bool':
      return String(v.value);
    case 'Call':
      return `${v.callee.name}(...)`;
    case 'List':
      return 'a list';
    case 'Dict':
      return 'a dict';
    case 'Tuple':
      return 'a pair';
    default:
      return 'missing';
  }
}

/** The loss of each output: one loss for all, or a dict naming every output. */
export function lossesByOutput(v: Expr, facts: ModelFacts): Map<string, string> {
  const out = new Map<string, string>();
  if (v.kind === 'Ident') for (const o of facts.outputs) out.set(o.name, v.name);
  if (v.kind === 'Dict') for (const e of v.entries) if (e.value?.kind === 'Ident') out.set(e.key.name, e.value.name);
  return out;
}
