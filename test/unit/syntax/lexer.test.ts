// Lexer tests: losslessness on every corpus file and on random text, the kind of each
// token, numbers, strings with escapes, comments, and speed on a large file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lex, stringValue } from '../../../server/src/syntax/lexer';
import type { Token } from '../../../server/src/syntax/ast';
import { corpusFiles } from './corpus';

function kinds(text: string): string[] {
  return lex(text)
    .filter((t) => t.kind !== 'whitespace')
    .map((t) => `${t.kind}:${t.text}`);
}

function assertLossless(text: string, tokens: Token[]): void {
  assert.equal(tokens.map((t) => t.text).join(''), text);
  let at = 0;
  for (const t of tokens) {
    assert.equal(t.start, at, `token ${JSON.stringify(t.text)} starts where the previous ended`);
    assert.ok(t.end > t.start, 'no empty tokens');
    assert.equal(text.slice(t.start, t.end), t.text);
    at = t.end;
  }
  assert.equal(at, text.length);
}

test('every corpus file lexes losslessly', () => {
  const files = corpusFiles();
  assert.ok(files.length >= 20);
  for (const f of files) assertLossless(f.text, lex(f.text));
});

test('random strings lex losslessly', () => {
  const alphabet = 'ab_Z09.e-+>()[]{},:=#"\\ \t\n\r@é🙂';
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const chars = Array.from(alphabet);
  for (let i = 0; i < 500; i++) {
    let s = '';
    const len = rand(60);
    for (let j = 0; j < len; j++) s += chars[rand(chars.length)];
    assertLossless(s, lex(s));
  }
});

test('keywords, identifiers and punctuation', () => {
  assert.deepEqual(kinds('model M { input x: [3] int }'), [
    'keyword:model', 'ident:M', 'punct:{', 'keyword:input', 'ident:x', 'punct::', 'punct:[',
    'number:3', 'punct:]', 'keyword:int', 'punct:}',
  ]);
  assert.deepEqual(kinds('a = b -> Dense(1, k=-2)'), [
    'ident:a', 'punct:=', 'ident:b', 'punct:->', 'ident:Dense', 'punct:(', 'number:1', 'punct:,',
    'ident:k', 'punct:=', 'punct:-', 'number:2', 'punct:)',
  ]);
  for (const kw of ['block', 'train', 'output', 'repeat', 'float', 'true', 'false']) {
    assert.deepEqual(kinds(kw), [`keyword:${kw}`]);
  }
  assert.deepEqual(kinds('models _x1 Input'), ['ident:models', 'ident:_x1', 'ident:Input']);
});

test('numbers in every spelling', () => {
  for (const n of ['12', '0.5', '.5', '1e-3', '3.0e2', '2E+4']) assert.deepEqual(kinds(n), [`number:${n}`]);
  // An exponent needs digits; a trailing dot is not part of the number.
  assert.deepEqual(kinds('1e'), ['number:1', 'ident:e']);
  assert.deepEqual(kinds('1.'), ['number:1', 'error:.']);
});

test('strings, escapes and unterminated strings', () => {
  assert.deepEqual(kinds('"a\\"b" "c\\\\"'), ['string:"a\\"b"', 'string:"c\\\\"']);
  assert.equal(stringValue('"a\\"b"'), 'a"b');
  assert.equal(stringValue('"c\\\\"'), 'c\\');
  assert.equal(stringValue('"C:\\data\\x.csv"'), 'C:\\data\\x.csv');
  // An unterminated string is an error token up to the end of its line.
  assert.deepEqual(kinds('x = "abc\ny'), ['ident:x', 'punct:=', 'error:"abc', 'newline:\n', 'ident:y']);
  assert.deepEqual(kinds('"abc\\"'), ['error:"abc\\"']);
});

test('comments, newlines and stray characters', () => {
  assert.deepEqual(kinds('a # c -> (\r\nb\rc'), ['ident:a', 'comment:# c -> (', 'newline:\r\n', 'ident:b', 'newline:\r', 'ident:c']);
  assert.deepEqual(kinds('a @ b'), ['ident:a', 'error:@', 'ident:b']);
  assert.deepEqual(kinds('🙂'), ['error:🙂']);
  const ws = lex(' \t x');
  assert.equal(ws[0].kind, 'whitespace');
  assert.equal(ws[0].text, ' \t ');
});

// Speed is measured by bench/check_bench.ts, not asserted here.
test('a 10,000-line file lexes into exactly its tokens', () => {
  const line = '  h = x -> Dense(32, activation=relu) # "x"\n';
  const text = 'model Big {\n' + line.repeat(10000) + '}\n';
  const tokens = lex(text);
  const count = tokens.length;
  assert.equal(tokens.map((t) => t.text).join(''), text);
  // 21 tokens per line, 6 for the header and 2 for the closing line.
  assert.equal(count, 10000 * 21 + 8);
});
