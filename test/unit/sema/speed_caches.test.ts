// Tests of the checker's speed-ups that must not change what it reports: the per-check
// cache of resolved layer calls (keyed by bound values and input shapes), the remembered
// "did you mean" answers, the lexer's shared token texts and the incremental checker's one
// combined token list.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/sema/check';
import { IncrementalChecker } from '../../../server/src/sema/incremental/incremental';
import { suggest } from '../../../server/src/sema/suggest';
import { lex } from '../../../server/src/syntax/lexer';

function modelNamed(r: ReturnType<typeof checkText>, name: string) {
  const m = r.models.find((x) => x.name === name);
  assert.ok(m, `model ${name} is in the result`);
  return m;
}

test('an erroneous call repeated in several models is reported in each of them', () => {
  const src = `model A {
  input x: [8]
  Dense(0)
}
model B {
  input x: [8]
  Dense(0)
}
`;
  const r = checkText(src);
  const bad = r.diagnostics.filter((d) => d.code === 'bad-argument');
  assert.equal(bad.length, 2);
  assert.deepEqual(
    bad.map((d) => src.slice(d.span.start, d.span.end)),
    ['0', '0'],
  );
  assert.ok(bad[0].span.start < src.indexOf('model B') && bad[1].span.start > src.indexOf('model B'));
});

test('the same call on different input shapes or argument values is resolved for each', () => {
  const r = checkText(`model A {
  input x: [8]
  Dense(4)
}
model B {
  input x: [16]
  Dense(4)
}
model C {
  input x: [16]
  Dense(4, bias=false)
}
`);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.equal(modelNamed(r, 'A').params, 8 * 4 + 4);
  assert.equal(modelNamed(r, 'B').params, 16 * 4 + 4);
  assert.equal(modelNamed(r, 'C').params, 16 * 4);
});

test('block parameters feed the cache key through their bound values', () => {
  const r = checkText(`block Head(units) {
  input x: [4]
  output y = x -> Dense(units)
}
model A {
  input x: [4]
  Head(units=3)
}
model B {
  input x: [4]
  Head(units=5)
}
`);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.equal(modelNamed(r, 'A').params, 4 * 3 + 3);
  assert.equal(modelNamed(r, 'B').params, 4 * 5 + 5);
  assert.deepEqual(modelNamed(r, 'B').ir!.nodes[0].shape, [5]);
});

test('values that print alike but differ (0 and -0) keep their own IR arguments', () => {
  const r = checkText(`model A {
  input x: [4]
  Dropout(0)
}
model B {
  input x: [4]
  Dropout(-0)
}
`);
  const a = modelNamed(r, 'A').ir!.nodes[0].args.rate;
  const b = modelNamed(r, 'B').ir!.nodes[0].args.rate;
  assert.ok(Object.is(a, 0), `A's rate is +0, got ${String(a)}`);
  assert.ok(Object.is(b, -0), `B's rate is -0, got ${String(b)}`);
});

test('repeated identical calls in one model still get their own Keras-style ids', () => {
  const r = checkText(`model M {
  input x: [4]
  repeat 3 {
    Dense(4)
  }
}
`);
  assert.deepEqual(
    modelNamed(r, 'M').ir!.nodes.map((n) => n.id),
    ['dense', 'dense_1', 'dense_2'],
  );
  assert.equal(modelNamed(r, 'M').params, 3 * (4 * 4 + 4));
});

test('remembered suggestions depend on the candidates as well as the name', () => {
  assert.equal(suggest('Dens', ['Dense', 'Conv2D']), 'Dense');
  assert.equal(suggest('Dens', ['Dent', 'Conv2D']), 'Dent');
  assert.equal(suggest('Dens', ['Dense', 'Conv2D']), 'Dense');
  assert.equal(suggest('Dens', []), undefined);
  assert.equal(suggest('zzzzzz', ['Dense']), undefined);
});

test('a misspelt layer inside nested repeats is reported once, with its suggestion', () => {
  const r = checkText(`model M {
  input x: [4]
  repeat 100 {
    repeat 100 {
      Dnese(4)
    }
  }
}
`);
  const unknown = r.diagnostics.filter((d) => d.code === 'unknown-layer');
  assert.equal(unknown.length, 1);
  assert.match(unknown[0].message, /did you mean `Dense`\?/);
});

test('shared token texts: long blank runs, odd spaces and many distinct names lex exactly', () => {
  const names = Array.from({ length: 3000 }, (_, i) => `n${i.toString(36)}_${i}`);
  const text = `a${' '.repeat(40)}b\t \u00a0c ${names.join(' ')} 12 12 3.5 3.5\r\n`;
  const tokens = lex(text);
  assert.equal(tokens.map((t) => t.text).join(''), text);
  for (const t of tokens) assert.equal(t.text, text.slice(t.start, t.end));
  const idents = tokens.filter((t) => t.kind === 'ident').map((t) => t.text);
  assert.deepEqual(idents, ['a', 'b', 'c', ...names]);
});

test('after edits the incremental checker holds one exact token list', () => {
  const models = Array.from({ length: 30 }, (_, i) => `model M${i} {\n  input x: [${i + 1}]\n  Dense(4)\n}\n`).join('\n');
  const checker = new IncrementalChecker();
  let text = models;
  for (const edit of ['input x: [1]', 'input x: [15]', 'input x: [30]', 'model M0']) {
    const at = text.indexOf(edit);
    text = `${text.slice(0, at)}# edited\n${text.slice(at)}`;
    const r = checker.update(text);
    assert.equal(r.file.tokens.map((t) => t.text).join(''), text);
    for (const t of r.file.tokens) assert.equal(text.slice(t.start, t.end), t.text);
    assert.deepEqual(r.file.tokens, checkText(text).file.tokens);
  }
});
