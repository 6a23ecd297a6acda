// The graph of which block calls which, for the two questions the checker asks of it as a
// whole: which blocks lie on a cycle of calls (their expansion depends on what is already
// being expanded, so block_memo.ts never remembers them), and which blocks reach a given set
// of blocks (incremental.ts: a declaration whose callees reach an edited block is re-checked).
// Both walks are iterative and linear in blocks plus calls: a file may chain thousands of
// blocks, and neither the call stack nor a quadratic pass may grow with that chain.

import type { BlockDecl } from '../syntax/ast';

export type NamesOf = (decl: BlockDecl) => ReadonlySet<string>;

/** The names of blocks that reach themselves (Tarjan's strongly connected components). */
export function cyclicBlocks(blocks: ReadonlyMap<string, BlockDecl>, namesOf: NamesOf): Set<string> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cyclic = new Set<string>();
  let next = 0;
  for (const root of blocks.keys()) {
    if (index.has(root)) continue;
    // Each work item is a block and the iterator over its callees, resumed after a child.
    const work: { name: string; callees: Iterator<string> }[] = [];
    const open = (name: string) => {
      index.set(name, next);
      low.set(name, next);
      next++;
      stack.push(name);
      onStack.add(name);
      work.push({ name, callees: namesOf(blocks.get(name)!).values() });
    };
    open(root);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const step = top.callees.next();
      if (!step.done) {
        const callee = step.value;
        if (!blocks.has(callee)) continue;
        if (callee === top.name) cyclic.add(callee);
        if (!index.has(callee)) open(callee);
        else if (onStack.has(callee)) low.set(top.name, Math.min(low.get(top.name)!, index.get(callee)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].name;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.name)!));
      }
      if (low.get(top.name) === index.get(top.name)) {
        const component: string[] = [];
        for (;;) {
          const x = stack.pop()!;
          onStack.delete(x);
          component.push(x);
          if (x === top.name) break;
        }
        if (component.length > 1) for (const x of component) cyclic.add(x);
      }
    }
  }
  return cyclic;
}

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
