// The graph of which block calls which, for the question the incremental checker asks of it
// as a whole: which blocks reach a given set of blocks (a declaration whose callees reach an
// edited block is re-checked; decl_cache.ts). The walk is iterative and linear in blocks plus
// calls: a file may chain thousands of blocks, and neither the call stack nor a quadratic
// pass may grow with that chain.

import type { BlockDecl } from '../../syntax/ast';

export type NamesOf = (decl: BlockDecl) => ReadonlySet<string>;

/** The blocks that are in `targets` or call, directly or through other blocks, one that is. */
export function blocksReaching(targets: Iterable<string>, blocks: ReadonlyMap<string, BlockDecl>, namesOf: NamesOf): Set<string> {
  const callers = new Map<string, string[]>();
  for (const [name, decl] of blocks) {
    for (const callee of namesOf(decl)) {
      if (!blocks.has(callee)) continue;
      const list = callers.get(callee);
      if (list) list.push(name);
      else callers.set(callee, [name]);
    }
  }
  const out = new Set<string>();
  const queue: string[] = [];
  for (const t of targets) {
    if (blocks.has(t) && !out.has(t)) {
      out.add(t);
      queue.push(t);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    for (const caller of callers.get(queue[i]) ?? []) {
      if (out.has(caller)) continue;
      out.add(caller);
      queue.push(caller);
    }
  }
  return out;
}
