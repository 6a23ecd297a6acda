// Data-driven parser tests: for every corpus input, the tree dump and the diagnostics must
// equal the sibling `.txt` file. `UPDATE_GOLDEN=1` rewrites the expectations, which are then
// read and judged by a person before they are committed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync, readFileSync } from 'node:fs';
import { corpusFiles, renderParse } from './corpus';

const update = process.env.UPDATE_GOLDEN === '1';

for (const f of corpusFiles()) {
  test(`parser golden ${f.group}/${f.name}`, () => {
    const { golden, diagnosticCount } = renderParse(f.text);
    if (f.group === 'ok') assert.equal(diagnosticCount, 0, `ok/${f.name} must parse without diagnostics:\n${golden}`);
    else assert.ok(diagnosticCount > 0, `err/${f.name} must have at least one diagnostic`);
    const expectedPath = f.path.replace(/\.netspec$/, '.txt');
    if (update) writeFileSync(expectedPath, golden);
    assert.ok(existsSync(expectedPath), `missing golden file ${expectedPath}; run with UPDATE_GOLDEN=1`);
    assert.equal(golden, readFileSync(expectedPath, 'utf8'));
  });
}
