// The layering invariants of ARCHITECTURE.md, checked on every source file's imports so a
// shortcut across layers fails the build instead of slowly eroding the design.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|js)$/.test(name)) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g), ...text.matchAll(/(?:require|import)\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]);
}

function violations(dir: string, forbidden: (spec: string, file: string) => boolean): string[] {
  return sources(dir).flatMap((f) => imports(f).filter((s) => forbidden(s, f)).map((s) => `${f} imports ${s}`));
}

test('engine/catalog imports nothing outside itself', () => {
  assert.deepEqual(violations('engine/catalog', (s) => !s.startsWith('./') && !(s.startsWith('../') && !s.startsWith('../../'))), []);
});

test('engine/src/data imports nothing of the engine but itself, engine/catalog and the seeded hash', () => {
  // Data formats are a leaf: the CLI, the webview and the editor's data probe read files
  // without the loop, tensors or backends. Shuffles and the validation split draw from
  // rng.ts, which is itself a leaf, so nothing else of the engine comes in through it.
  const allowed = (target: string) => target.startsWith('engine/src/data/') || target.startsWith('engine/catalog/') || target === 'engine/src/rng';
  assert.deepEqual(violations('engine/src/data', (s, f) => s.startsWith('.') && !allowed(join(dirname(f), s))), []);
  assert.deepEqual(imports('engine/src/rng.ts'), []);
});

test('the engine never imports vscode, the LSP libraries or the server', () => {
  assert.deepEqual(violations('engine', (s) => s === 'vscode' || s.startsWith('vscode-language') || s.includes('server/') || s.includes('client/')), []);
});

test('syntax, sema and ide never import the LSP libraries', () => {
  for (const dir of ['server/src/syntax', 'server/src/sema', 'server/src/ide']) {
    assert.deepEqual(violations(dir, (s) => s.startsWith('vscode-language') || s === 'vscode'), [], dir);
  }
});

test('the client never imports the engine (types travel through webview/protocol.ts)', () => {
  assert.deepEqual(violations('client/src', (s) => s.includes('engine/src')), []);
});

test('WebGPU and DOM-only APIs stay in the WebGPU backend', () => {
  const offenders = sources('engine/src')
    .filter((f) => !f.includes('/webgpu/'))
    .filter((f) => /navigator\.gpu|GPUDevice|GPUBuffer|document\./.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});

/** The files `file` imports at run time (type-only imports left out), resolved to paths. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s(?!type\s)[^;]*?from\s+'(\.[^']+)'/g)].map((m) => m[1]);
  return specs.map((s) => join(file, '..', s)).map((p) => (p.endsWith('.ts') ? p : `${p}.ts`));
}

/** Groups of files that import one another in a circle (Tarjan's strongly connected components). */
function importCycles(dirs: string[]): string[][] {
  const files = dirs.flatMap((d) => sources(d)).filter((f) => f.endsWith('.ts'));
  const known = new Set(files);
  const edges = new Map(files.map((f) => [f, runtimeImports(f).filter((g) => known.has(g))]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) cycles.push(group.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return cycles;
}

test('no import cycles in the server, the engine or the CLI', () => {
  assert.deepEqual(importCycles(['server/src', 'engine', 'cli/src']), []);
});
