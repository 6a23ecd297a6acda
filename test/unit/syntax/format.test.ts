// Formatter tests: canonical spacing and indentation on a messy file, idempotence on every
// corpus file, the token stream unchanged except for whitespace, and no edits on a file
// with syntax errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, formatText } from '../../../server/src/ide/format';
import { lex } from '../../../server/src/syntax/lexer';
import { corpusFiles } from './corpus';

const SPACES = { tabSize: 2, insertSpaces: true };

function format(text: string, options = SPACES): string {
  return applyEdits(text, formatText(text, options));
}

/** The tokens that are not whitespace or newlines, as kind:text. */
function significant(text: string): string[] {
  return lex(text)
    .filter((t) => t.kind !== 'whitespace' && t.kind !== 'newline')
    .map((t) => `${t.kind}:${t.text}`);
}

const MESSY = `# header


model   Mnist
{
input x:[28,28,1]   # image
    Conv2D( 32,3 , activation = relu )->MaxPool2D
  h=x->Flatten()->
 Dense(10,
activation=softmax)



  repeat 2 {
  Dense(10 , bias=false)
    }
  output h=( h , x )->Concat(axis=-1)
}
train Mnist {
  data=csv("a.csv",target={a:y,b:z})
  loss = {
 a: mse,
b : mse
}
  validation=-0.2
  metrics=[ accuracy ]
}`;

const EXPECTED = `# header

model Mnist {
  input x: [28, 28, 1] # image
  Conv2D(32, 3, activation=relu) -> MaxPool2D
  h = x -> Flatten() ->
    Dense(10,
      activation=softmax)

  repeat 2 {
    Dense(10, bias=false)
  }
  output h = (h, x) -> Concat(axis=-1)
}
train Mnist {
  data = csv("a.csv", target={a: y, b: z})
  loss = {
    a: mse,
    b: mse
  }
  validation = -0.2
  metrics = [accuracy]
}
`;

test('formats spacing, indentation, braces and blank lines', () => {
  assert.equal(format(MESSY), EXPECTED);
});

test('indents with tabs or with the given tab size', () => {
  const src = 'model A {\ninput x: [3]\nrepeat 2 {\nDense(3)\n}\n}\n';
  assert.equal(format(src, { tabSize: 4, insertSpaces: true }), 'model A {\n    input x: [3]\n    repeat 2 {\n        Dense(3)\n    }\n}\n');
  assert.equal(format(src, { tabSize: 4, insertSpaces: false }), 'model A {\n\tinput x: [3]\n\trepeat 2 {\n\t\tDense(3)\n\t}\n}\n');
});

test('keeps CRLF line endings', () => {
  const src = 'model A {\r\n   Dense( 3 )\r\n}';
  assert.equal(format(src), 'model A {\r\n  Dense(3)\r\n}\r\n');
});

test('a formatted file produces no edits', () => {
  assert.deepEqual(formatText(EXPECTED, SPACES), []);
});

test('formatting is idempotent and changes only whitespace on every corpus file', () => {
  for (const f of corpusFiles().filter((c) => c.group === 'ok')) {
    const once = format(f.text);
    assert.deepEqual(significant(once), significant(f.text), `${f.name}: tokens changed`);
    assert.deepEqual(formatText(once, SPACES), [], `${f.name}: formatting twice changed something`);
  }
});

test('does nothing on a file with syntax errors', () => {
  for (const f of corpusFiles().filter((c) => c.group === 'err')) {
    assert.deepEqual(formatText(f.text, SPACES), [], f.name);
  }
  assert.deepEqual(formatText('model A {\n  Dense(3\n}\n', SPACES), []);
});

test('edits are ordered, disjoint and only replace whitespace', () => {
  const edits = formatText(MESSY, SPACES);
  assert.ok(edits.length > 0);
  let last = -1;
  for (const e of edits) {
    assert.ok(e.span.start >= last, 'edits do not overlap');
    assert.match(MESSY.slice(e.span.start, e.span.end), /^[ \t\r\n]*$/);
    assert.match(e.newText, /^[ \t\r\n]*$/);
    last = e.span.end;
  }
});

test('one-line bodies keep their braces spaced; empty ones stay closed', () => {
  assert.equal(format('model A {Dense(3)}\nmodel B {  }\ntrain A {epochs=1}'), 'model A { Dense(3) }\nmodel B {}\ntrain A { epochs = 1 }\n');
});

test('an empty or blank file needs no edits', () => {
  assert.deepEqual(formatText('', SPACES), []);
  assert.deepEqual(formatText('\n\n', SPACES), []);
});
