// Golden tests for the checker, in the style of TypeScript's baselines: every file under
// test/corpus/checker is checked and rendered as its source lines with a `~~~` squiggle
// and `error[code]: message` (plus related information) under each diagnosed line, then a
// table of every statement's output shape. The rendering is compared with the `.txt`
// beside the file; `UPDATE_GOLDEN=1` rewrites the baselines (read them before committing).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatShape } from '../../../engine/catalog/shape';
import { checkText } from '../../../server/src/sema/check';
import type { CheckedFile } from '../../../server/src/sema/checked';

const DIR = resolve('test/corpus/checker');

function position(lineStarts: number[], offset: number): { line: number; col: number } {
  let line = 0;
  while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
  return { line, col: offset - lineStarts[line] };
}

export function render(text: string, checked: CheckedFile): string {
  const lines = text.split('\n');
  const starts: number[] = [];
  let at = 0;
  for (const l of lines) {
    starts.push(at);
    at += l.length + 1;
  }
  const clean = (s: string) => s.split(DIR).join('<corpus>');
  const out: string[] = [];
  lines.forEach((source, i) => {
    out.push(source);
    for (const d of checked.diagnostics) {
      const p = position(starts, d.span.start);
      if (p.line !== i) continue;
      const end = position(starts, d.span.end);
      const stop = end.line === i ? end.col : source.length;
      out.push(' '.repeat(p.col) + '~'.repeat(Math.max(1, stop - p.col)));
      out.push(`${d.severity}[${d.code}]: ${clean(d.message)}`);
      for (const r of d.related) {
        const q = position(starts, r.span.start);
        out.push(`  related ${q.line + 1}:${q.col + 1}: ${clean(r.message)}`);
      }
      if (d.fix) out.push(`  fix: ${JSON.stringify(d.fix)}`);
    }
  });
  out.push('', '=== shapes ===');
  for (const s of checked.statements) {
    const p = position(starts, s.span.start);
    const first = lines[p.line].trim();
    out.push(`${p.line + 1}: ${first}  =>  ${formatShape(s.shape)}${s.dtype === 'int32' ? ' int' : ''}`);
  }
  for (const m of checked.models) {
    out.push(`model ${m.name}: params ${m.params} (trainable ${m.trainableParams}), outputs ${m.outputs.map((o) => `${o.name} ${formatShape(o.shape)}`).join(', ')}${m.ir ? '' : ', no IR'}`);
  }
  return out.join('\n') + '\n';
}

const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.netspec')).sort() : [];

test('the checker corpus is not empty', () => {
  assert.ok(files.length >= 40, `expected at least 40 corpus files, found ${files.length}`);
});

for (const name of files) {
  test(`checker golden: ${name}`, () => {
    const path = join(DIR, name);
    const text = readFileSync(path, 'utf8');
    const actual = render(text, checkText(text, { path }));
    const baseline = path.replace(/\.netspec$/, '.txt');
    if (process.env.UPDATE_GOLDEN) writeFileSync(baseline, actual);
    assert.ok(existsSync(baseline), `no baseline ${baseline}; run with UPDATE_GOLDEN=1`);
    assert.equal(actual, readFileSync(baseline, 'utf8'));
  });
}
