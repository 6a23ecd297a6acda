// Unit tests of the checker's semantics: blocks bound at each use, repeat, symbolic sizes,
// multi-output models, no cascades after an error, symbols for rename and go-to-definition,
// Keras-style IR ids, and robustness (checkText never throws).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/sema/check';
import type { CheckedFile } from '../../../server/src/sema/checked';

function codes(r: CheckedFile): string[] {
  return r.diagnostics.map((d) => d.code);
}

function textAt(src: string, span: { start: number; end: number }): string {
  return src.slice(span.start, span.end);
}

test('symbolic sizes flow through strided layers as expressions', () => {
  const src = `model M {
  input x: [h, w, 3]
  Conv2D(8, 3, stride=2, padding=same)
  MaxPool2D(2, padding=same)
}`;
  const r = checkText(src);
  assert.deepEqual(codes(r), []);
  assert.deepEqual(r.statements.map((s) => s.shape), [
    ['h', 'w', 3],
    ['ceil(h/2)', 'ceil(w/2)', 8],
    ['ceil(ceil(h/2)/2)', 'ceil(ceil(w/2)/2)', 8],
  ]);
  // The size `h` is a symbol: defined in the input shape.
  const h = r.symbols.find((s) => s.kind === 'size' && s.name === 'h');
  assert.ok(h);
  assert.equal(textAt(src, h.def), 'h');
});

test('a block is checked at each use with its parameters and input sizes bound', () => {
  const src = `block Proj(units, act=relu) {
  input x: [seq, f]
  Dense(units, activation=act)
}
model M {
  input a: [5, 3]
  p = a -> Proj(7)
  q = p -> Proj(units=2, act=tanh)
}`;
  const r = checkText(src);
  assert.deepEqual(codes(r), []);
  const m = r.models[0];
  assert.deepEqual(m.outputs, [{ name: 'output', shape: [5, 2] }]);
  assert.equal(m.params, 3 * 7 + 7 + 7 * 2 + 2);
  const ir = m.ir!;
  assert.deepEqual(ir.nodes.map((n) => n.id), ['proj/dense', 'proj_1/dense']);
  assert.equal(ir.nodes[1].args.activation, 'tanh');
  assert.deepEqual(ir.nodes[1].inputs, ['proj/dense']);
  // Calls inside the block are reported with the model whose use produced them.
  const inner = r.calls.filter((c) => c.op === 'Dense');
  assert.ok(inner.length >= 1 && inner.every((c) => c.viaModel === 'M'));
  const block = r.calls.find((c) => c.op === 'Proj' && c.isBlock);
  assert.equal(block?.params, 28);
});

test('an error inside a block is reported inside it, with related info at the call, once per distinct error', () => {
  const src = `block Bad(units) {
  input x: [n]
  Conv2D(units, 3)
}
model M {
  input a: [10]
  b = a -> Bad(4)
  c = b -> Dense(2)
}
model N {
  input a: [10]
  Bad(4)
}`;
  const r = checkText(src);
  const errs = r.diagnostics.filter((d) => d.code === 'rank-mismatch');
  assert.equal(errs.length, 1, 'identical diagnostics from two uses are merged');
  assert.equal(textAt(src, errs[0].span), 'Conv2D(units, 3)');
  assert.ok(errs[0].related.some((x) => textAt(src, x.span) === 'Bad(4)'), 'related info points at the call');
  // No cascade: Dense after the failed block says nothing.
  assert.deepEqual(codes(r), ['rank-mismatch']);
});

test('a block with two outputs is an error; its single output is the result', () => {
  const src = `block Two {
  input x: [4]
  output a = x -> Dense(2)
  output b = x -> Dense(3)
}
model M {
  input x: [4]
  Two()
}`;
  const r = checkText(src);
  const d = r.diagnostics.find((x) => x.message.includes('exactly one output'));
  assert.ok(d);
  assert.equal(textAt(src, d.span), 'b');
});

test('repeat unrolls with fresh weights and Keras-style ids, and requires the same shape', () => {
  const ok = checkText(`model M {
  input x: [8]
  repeat 3 {
    Dense(8, activation=relu)
  }
  Dense(1)
}`);
  assert.deepEqual(codes(ok), []);
  assert.deepEqual(ok.models[0].ir!.nodes.map((n) => n.id), ['dense', 'dense_1', 'dense_2', 'dense_3']);
  assert.equal(ok.models[0].params, 3 * 72 + 9);
  const bad = checkText(`model M {
  input x: [8]
  repeat 2 {
    Dense(4)
  }
  Dense(1)
}`);
  assert.deepEqual(codes(bad), ['shape-mismatch']);
  assert.match(bad.diagnostics[0].message, /\[batch, 8\] to \[batch, 4\]/);
});

test('multi-input and multi-output models keep every input and output', () => {
  const r = checkText(`model M {
  input img: [4, 4, 1]
  input meta: [3]
  f = img -> Flatten()
  both = (f, meta) -> Concat()
  output price = both -> Dense(1)
  output kind = both -> Dense(5, activation=softmax)
}`);
  assert.deepEqual(codes(r), []);
  const m = r.models[0];
  assert.deepEqual(m.inputs.map((i) => [i.name, i.shape]), [['img', [4, 4, 1]], ['meta', [3]]]);
  assert.deepEqual(m.outputs, [{ name: 'price', shape: [1] }, { name: 'kind', shape: [5] }]);
  const ir = m.ir!;
  assert.deepEqual(ir.outputs, [{ name: 'price', tensor: 'dense' }, { name: 'kind', tensor: 'dense_1' }]);
  assert.deepEqual(ir.nodes.find((n) => n.op === 'Concat')!.inputs, ['flatten', 'meta']);
});

test('an error leaves the rest of the chain unknown without further diagnostics', () => {
  const r = checkText(`model M {
  input x: [784]
  Conv2D(32, 3)
  MaxPool2D()
  Flatten()
  Dense(10)
}`);
  assert.deepEqual(codes(r), ['rank-mismatch']);
  assert.deepEqual(r.statements.map((s) => s.shape === null), [false, true, true, true, true]);
  assert.equal(r.models[0].ir, null);
  assert.deepEqual(r.diagnostics[0].fix, { kind: 'insert-reshape', before: r.diagnostics[0].span, shape: [28, 28, 1] });
});

test('symbols link definitions and references of tensors, params, models and blocks', () => {
  const src = `block B(d) {
  input x: [f]
  Dense(d)
}
model M {
  input x: [4]
  h = x -> B(3)
  output y = h -> Dense(1)
}
train M {
  loss = mse
}`;
  const r = checkText(src);
  const find = (name: string, kind: string) => r.symbols.find((s) => s.name === name && s.kind === kind)!;
  const d = find('d', 'param');
  assert.deepEqual(d.refs.map((s) => textAt(src, s)), ['d']);
  assert.equal(find('f', 'size').def.start, src.indexOf('f]'));
  assert.equal(find('B', 'block').refs.length, 1);
  assert.equal(find('M', 'model').refs.length, 1);
  const h = r.symbols.find((s) => s.name === 'h' && s.kind === 'tensor')!;
  assert.equal(h.refs.length, 1);
  assert.deepEqual(h.shape, [3]);
});

test('the implicit output is named output; unused tensors warn but outputs do not', () => {
  const r = checkText(`model M {
  input x: [4]
  spare = x -> Dense(2)
  out = x -> Dense(3)
}`);
  assert.deepEqual(r.models[0].outputs, [{ name: 'output', shape: [3] }]);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity]), [['unused', 'warning']]);
});

test('identifiers in a model argument are enum words; symbolic sizes where a number is needed are errors', () => {
  const r = checkText(`model M {
  input x: [seq, 8]
  Dense(seq)
}`);
  assert.deepEqual(codes(r), ['symbolic-size']);
});

test('IR nodes carry resolved arguments with defaults and catalog weights', () => {
  const r = checkText(`model M {
  input x: [8, 8, 2]
  MaxPool2D(2)
  Conv2D(4, 3)
}`);
  const [pool, conv] = r.models[0].ir!.nodes;
  assert.deepEqual(pool.args, { pool: [2, 2], stride: [2, 2], padding: 'valid' });
  assert.equal(conv.args.activation, 'linear');
  assert.equal(conv.args.bias, true);
  assert.deepEqual(conv.weights.map((w) => [w.name, w.shape]), [['kernel', [3, 3, 2, 4]], ['bias', [4]]]);
  assert.equal(conv.line, 3);
});

test('checkText never throws, whatever the input', () => {
  const samples = ['', 'model', 'model M {', 'block B(', 'train', '}}}}', 'model M { input x: [a, b, c] Dense(b) }', '\u0000\uffff', 'model M {\n repeat 99999999 {\n }\n}'];
  for (const s of samples) assert.doesNotThrow(() => checkText(s));
});

test('nested repeats that would expand without bound stop with one diagnostic', () => {
  const src = `model M {
  input x: [4]
  repeat 1000 {
    repeat 1000 {
      repeat 1000 {
        Dense(4)
      }
    }
  }
}`;
  // The fuzz test guards against hangs; here the limit must be reported, once.
  const r = checkText(src);
  assert.deepEqual(codes(r), ['bad-argument']);
  assert.match(r.diagnostics[0].message, /expands to more than 10012 statements and calls/);
  assert.equal(r.models[0].ir, null);
});

test('IR arguments make computed defaults explicit (pool stride, attention key_dim)', () => {
  const r = checkText(`model M {
  input x: [10, 64]
  MultiHeadAttention(8)
  MaxPool1D(pool=5)
}`);
  const [mha, pool] = r.models[0].ir!.nodes;
  assert.equal(mha.args.key_dim, 8);
  assert.equal(mha.args.causal, false);
  assert.equal(pool.args.stride, 5);
});
