// Symbolic sizes: the expression tree's printer writes the canonical text every message and
// the IR carry, its parser reads that text back, and evaluation agrees with the arithmetic
// on known sizes for any chain of layer size rules.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dimAdd, dimCeilDiv, dimFloorDiv, dimProduct, dimSum, evalDim, windowOutput, type Dim } from '../../../engine/catalog/shape';
import { parseSize, printSize } from '../../../engine/catalog/size_expr';

test('canonical texts of the sizes layers produce', () => {
  assert.equal(dimAdd('h', -2), 'h-2');
  assert.equal(dimAdd(dimAdd('h', -2), 1), 'h-1');
  assert.equal(dimAdd(dimAdd('h', -1), 1), 'h');
  assert.equal(dimCeilDiv('h', 2), 'ceil(h/2)');
  assert.equal(windowOutput('h', 2, 2, 'valid'), 'floor((h-2)/2)+1');
  assert.equal(windowOutput(windowOutput('h', 2, 2, 'valid')!, 2, 2, 'same'), 'ceil((floor((h-2)/2)+1)/2)');
  assert.equal(dimSum(['a', 3, 'b', 4]), 'a+b+7');
  assert.equal(dimSum([2, 3]), 5);
  assert.equal(dimProduct(['seq', 'h'], 4), 'seq*h*4');
  assert.equal(dimProduct([dimAdd('h', -1)], 2), '(h-1)*2');
  assert.equal(dimProduct([dimCeilDiv('h', 2)], 4), 'ceil(h/2)*4');
});

test('every printed size parses back to a tree that prints the same text', () => {
  const sizes: Dim[] = ['seq', 'h-2', 'ceil(h/2)', 'floor((seq-3)/3)+1', 'seq*4', 'a+b', '(h-1)*2', 'ceil((floor((h-2)/2)+1)/3)', 'ceil(h*2/3)'];
  for (const s of sizes) {
    const e = parseSize(String(s));
    if (s === 'ceil(h*2/3)') {
      // A product inside ceil is printed with parentheses: the canonical text differs.
      assert.equal(printSize(e!), 'ceil((h*2)/3)');
      continue;
    }
    assert.ok(e, `parses ${s}`);
    assert.equal(printSize(e), s);
  }
  for (const bad of ['h+', '(h', 'h/2', 'ceil(h/0)', 'h-b', '2h', 'h$']) assert.equal(parseSize(bad), null, bad);
});

test('evaluating a symbolic chain of size rules equals running it on known sizes', () => {
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let trial = 0; trial < 300; trial++) {
    let symbolic: Dim = 'h';
    const h = 40 + rand(200);
    let known: Dim = h;
    for (let step = 0; step < 4; step++) {
      const k = 1 + rand(4);
      const s = 1 + rand(3);
      const padding = rand(2) === 0 ? 'valid' : 'same';
      const op = rand(3);
      if (op === 0) {
        const a = windowOutput(symbolic, k, s, padding);
        const b = windowOutput(known, k, s, padding);
        if (a === null || b === null) break;
        symbolic = a;
        known = b;
      } else if (op === 1) {
        symbolic = dimSum([symbolic, k, 'w']);
        known = (known as number) + k + 5;
      } else {
        symbolic = dimProduct([symbolic], s);
        known = (known as number) * s;
      }
    }
    assert.equal(evalDim(symbolic, new Map([['h', h], ['w', 5]])), known, `${symbolic} at h=${h}`);
  }
});
