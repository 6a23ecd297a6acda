// Remembers, for one check of a file, what a block use expanded to when nobody looks at the
// inside of that expansion. A block that is used is also checked on its own (for its symbols
// and its parameter names), and that standalone check expands every block it calls; in a
// chain of blocks each calling the previous one, every standalone check used to walk the whole
// chain below it again, so a file of n such blocks cost n * n. In a standalone check of a used
// block nothing inside a nested use is kept (no diagnostics, statements, calls or symbols), so
// only the use's result matters: its output tensor and how much of the walk's budget it spent.
//
// An entry is exact, not approximate: it is made only from an expansion that hit neither the
// expansion limit nor the nesting limit, and is reused only where walking again could not hit
// them either (enough steps and nesting depth left). Blocks on a cycle of calls are never
// remembered, because their expansion depends on which blocks are already being expanded;
// for any other block it cannot (a block on the stack calls, through the stack, the block
// being expanded, so that block reaching it again would be a cycle).

import type { BlockDecl } from '../syntax/ast';
import { sameKey, type LayerKey } from './layer_cache';
import type { Tensor } from './state';

export interface BlockUse {
  /** The use's result, with `origin` and `name` still to be set for the call. */
  result: Tensor;
  /** Statements and calls the expansion counted towards the walk's limit. */
  steps: number;
  /** How many block uses deep the expansion went, this one included. */
  depth: number;
}

/** Beyond this many distinct uses in one check the memo stops growing. */
const MAX_ENTRIES = 20_000;

export class BlockMemo {
  private readonly byDecl = new Map<BlockDecl, { key: LayerKey; use: BlockUse }[]>();
  private size = 0;

  constructor(
    /** Blocks that reach themselves through calls: never remembered. */
    readonly cyclic: ReadonlySet<string>,
  ) {}

  get(decl: BlockDecl, key: LayerKey): BlockUse | undefined {
    const list = this.byDecl.get(decl);
    if (list) for (const e of list) if (e.key.hash === key.hash && sameKey(e.key, key)) return e.use;
    return undefined;
  }

  set(decl: BlockDecl, key: LayerKey, use: BlockUse): void {
    if (this.size >= MAX_ENTRIES) return;
    this.size++;
    const list = this.byDecl.get(decl);
    if (list) list.push({ key, use });
    else this.byDecl.set(decl, [{ key, use }]);
  }
}
