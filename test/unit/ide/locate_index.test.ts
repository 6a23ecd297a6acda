// The per-file lookup tables (FileIndex) are sorted typed arrays searched by binary search.
// These tests hold them to the simple Map-based tables they replaced: for every identifier,
// call and statement start in real files, and in synthetic files whose entries are out of
// order or collide at one offset, both must give the same answer.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateFile } from '../../../bench/generate';
import type { CallInfo, CheckedFile, StatementInfo, SymbolInfo } from '../../../server/src/sema/checked';
import { fileIndex, symbolAt, type SymbolHit } from '../../../server/src/ide/locate';
import { check, MNIST } from './helpers';

/** The tables as they were built before: one Map entry (and object) per start. */
function reference(checked: CheckedFile) {
  const symbols = new Map<number, SymbolHit>();
  for (const s of checked.symbols) {
    symbols.set(s.def.start, { symbol: s, span: s.def, isDef: true });
    for (const r of s.refs) if (!symbols.has(r.start)) symbols.set(r.start, { symbol: s, span: r, isDef: false });
  }
  const calls = new Map<number, CallInfo[]>();
  for (const c of checked.calls) {
    const list = calls.get(c.span.start);
    if (list) list.push(c);
    else calls.set(c.span.start, [c]);
  }
  const statements = new Map<number, StatementInfo>();
  for (const st of checked.statements) statements.set(st.span.start, st);
  return { symbols, calls, statements };
}

/** Every offset worth asking about: token starts plus each table's keys and neighbours. */
function probes(checked: CheckedFile): number[] {
  const out = new Set<number>([-1, 0]);
  for (const t of checked.file.tokens) {
    out.add(t.start);
    out.add(t.start + 1);
    out.add(t.end);
  }
  for (const s of checked.symbols) for (const sp of [s.def, ...s.refs]) out.add(sp.start);
  for (const c of checked.calls) out.add(c.span.start);
  for (const st of checked.statements) out.add(st.span.start);
  return [...out].sort((a, b) => a - b);
}

function assertSameAsReference(checked: CheckedFile): void {
  const ref = reference(checked);
  const idx = fileIndex(checked);
  for (const at of probes(checked)) {
    const want = ref.symbols.get(at) ?? null;
    const got = idx.symbolStartingAt(at);
    assert.equal(got?.symbol, want?.symbol, `symbol at ${at}`);
    assert.equal(got?.span, want?.span, `symbol span at ${at}`);
    assert.equal(got?.isDef, want?.isDef, `isDef at ${at}`);
    const slot = idx.symbolSlot(at);
    assert.equal(slot >= 0, want !== null, `slot at ${at}`);
    if (want) {
      assert.equal(idx.slotSymbol(slot), want.symbol);
      assert.equal(idx.slotIsDef(slot), want.isDef);
    }
    const calls = idx.callsStartingAt(at);
    assert.equal(calls.length, (ref.calls.get(at) ?? []).length, `call count at ${at}`);
    (ref.calls.get(at) ?? []).forEach((c, i) => assert.equal(calls[i], c, `call ${i} at ${at}`));
    assert.equal(idx.statementStartingAt(at), ref.statements.get(at) ?? null, `statement at ${at}`);
  }
}

test('the sorted tables answer exactly as the old maps on the examples and the MNIST source', () => {
  const dir = join(process.cwd(), 'examples');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.netspec'));
  assert.ok(files.length > 0);
  let symbolsSeen = 0;
  for (const f of files) {
    const checked = check(readFileSync(join(dir, f), 'utf8'));
    symbolsSeen += checked.symbols.length;
    assertSameAsReference(checked);
  }
  assert.ok(symbolsSeen > 0);
  assertSameAsReference(check(MNIST));
});

test('the sorted tables answer exactly as the old maps on a generated 600-line file', () => {
  const checked = check(generateFile(600));
  assert.ok(checked.calls.length > 100 && checked.symbols.length > 50);
  assertSameAsReference(checked);
});

test('a block used twice: its body calls and both uses answer as the old maps', () => {
  const text = `block Twice(n) {
  input x: [d]
  y = x -> Dense(n)
  output y
}
model M {
  input x: [4]
  a = x -> Twice(3)
  b = a -> Twice(5)
  output b
}
`;
  const checked = check(text);
  assert.deepEqual(checked.diagnostics.filter((d) => d.severity === 'error'), []);
  const calls = fileIndex(checked).callsStartingAt(text.indexOf('Dense'));
  assert.ok(calls.length >= 1);
  assert.equal(fileIndex(checked).callsStartingAt(text.indexOf('Twice(5)')).length, 1);
  assert.deepEqual(calls.map((c) => c.outputShape), reference(checked).calls.get(text.indexOf('Dense'))?.map((c) => c.outputShape));
  assertSameAsReference(checked);
});

/** A CheckedFile holding only the tables (the index reads nothing else). */
function synthetic(symbols: SymbolInfo[], calls: CallInfo[], statements: StatementInfo[]): CheckedFile {
  return { symbols, calls, statements, file: { tokens: [], decls: [] } } as unknown as CheckedFile;
}

const span = (start: number) => ({ start, end: start + 1 });
const sym = (name: string, def: number, refs: number[]) => ({ name, kind: 'tensor', def: span(def), refs: refs.map(span) }) as unknown as SymbolInfo;
const call = (start: number, tag: number) => ({ span: span(start), tag }) as unknown as CallInfo;
const stmt = (start: number, tag: number) => ({ span: span(start), tag }) as unknown as StatementInfo;

test('out-of-order entries and collisions keep the old precedence', () => {
  const symbols = [
    sym('a', 50, [10, 30, 70]), // 30: a reference of a, later redefined by c.
    sym('b', 20, [10, 90]), // 10: a's reference came first and wins.
    sym('c', 30, [5]),
    sym('d', 60, []),
    sym('e', 60, [40]), // 60: the last definition wins.
  ];
  const calls = [call(40, 0), call(12, 1), call(40, 2), call(3, 3), call(12, 4)];
  const statements = [stmt(9, 0), stmt(2, 1), stmt(9, 2)];
  const checked = synthetic(symbols, calls, statements);
  const idx = fileIndex(checked);
  assert.equal(idx.symbolStartingAt(10)?.symbol.name, 'a');
  assert.equal(idx.symbolStartingAt(30)?.symbol.name, 'c');
  assert.equal(idx.symbolStartingAt(30)?.isDef, true);
  assert.equal(idx.symbolStartingAt(60)?.symbol.name, 'e');
  assert.equal(idx.symbolStartingAt(90)?.isDef, false);
  assert.equal(idx.symbolStartingAt(11), null);
  assert.deepEqual(idx.callsStartingAt(40).map((c) => (c as unknown as { tag: number }).tag), [0, 2]);
  assert.deepEqual(idx.callsStartingAt(12).map((c) => (c as unknown as { tag: number }).tag), [1, 4]);
  assert.deepEqual(idx.callsStartingAt(13), []);
  assert.equal((idx.statementStartingAt(9) as unknown as { tag: number }).tag, 2);
  assert.equal(idx.statementStartingAt(3), null);
  for (const f of [checked, synthetic(symbols, calls.slice().reverse(), statements.slice().reverse())]) {
    const ref = reference(f);
    const i = fileIndex(f);
    for (let at = -2; at < 100; at++) {
      assert.equal(i.symbolStartingAt(at)?.span, ref.symbols.get(at)?.span);
      assert.deepEqual(i.callsStartingAt(at), ref.calls.get(at) ?? []);
      assert.equal(i.statementStartingAt(at), ref.statements.get(at) ?? null);
    }
  }
});

test('negative offsets fall back to the comparator sort and still search correctly', () => {
  const checked = synthetic([sym('a', 4, [-3, 8]), sym('b', -7, [1])], [call(5, 0), call(-2, 1)], [stmt(3, 0), stmt(-1, 1)]);
  const idx = fileIndex(checked);
  assert.equal(idx.symbolStartingAt(-3)?.symbol.name, 'a');
  assert.equal(idx.symbolStartingAt(-7)?.isDef, true);
  assert.equal(idx.symbolStartingAt(1)?.symbol.name, 'b');
  assert.equal(idx.callsStartingAt(-2).length, 1);
  assert.equal((idx.statementStartingAt(-1) as unknown as { tag: number }).tag, 1);
});

test('symbolAt finds the symbol from a cursor inside or right after a name', () => {
  const checked = check(MNIST);
  const at = MNIST.indexOf('features =');
  assert.equal(symbolAt(checked, at + 3)?.symbol.name, 'features');
  assert.equal(symbolAt(checked, at + 'features'.length)?.isDef, true);
  assert.equal(symbolAt(checked, MNIST.indexOf('model') + 1), null);
});
