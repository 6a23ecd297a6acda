// The error-resilient recursive-descent parser for Netspec (spec §1-§3, §5). It never
// throws: it returns the tree and a list of `syntax` diagnostics. A broken statement gets
// ONE diagnostic and is skipped to its end; a broken declaration never hides the ones
// after it, because a `model`, `block` or `train` keyword at the start of a line always
// starts a new declaration. Partial statements stay in the tree (with null parts) so the
// checker can still report what it can.

import type {
  BlockDecl,
  Call,
  Decl,
  Expr,
  File,
  InputStmt,
  ModelDecl,
  OutputStmt,
  Param,
  RepeatStmt,
  Setting,
  Stmt,
  TrainDecl,
} from './ast';
import type { Diagnostic } from './diagnostic';
import { Cursor, spanOf, type Tok } from './cursor';
import { lex } from './lexer';
import { identOf, parseCall, parseDelimited, parseValue } from './parse_expr';

export interface ParseResult {
  file: File;
  diagnostics: Diagnostic[];
}

/** Parses a whole file. Never throws. */
export function parse(text: string): ParseResult {
  const tokens = lex(text);
  const c = new Cursor(tokens, text.length);
  const decls: Decl[] = [];
  try {
    parseDecls(c, decls);
  } catch (e) {
    // A bug in the parser must not take the language server down; report it as text.
    c.errored = false;
    c.error(`internal parser error: ${e instanceof Error ? e.message : String(e)}`, { start: 0, end: 0 });
  }
  const diagnostics = c.diagnostics.slice().sort((a, b) => a.span.start - b.span.start);
  return { file: { kind: 'File', decls, tokens, span: { start: 0, end: text.length } }, diagnostics };
}

function parseDecls(c: Cursor, decls: Decl[]): void {
  for (;;) {
    c.skipNewlines();
    const t = c.peek();
    if (t.kind === 'eof') return;
    c.beginStatement();
    if (t.kind === 'keyword' && t.text === 'model') decls.push(parseModel(c));
    else if (t.kind === 'keyword' && t.text === 'block') decls.push(parseBlock(c));
    else if (t.kind === 'keyword' && t.text === 'train') decls.push(parseTrain(c));
    else {
      c.expected(`'model', 'block' or 'train'`, t);
      c.next();
      c.skipToDecl();
    }
  }
}

/** Reads the name after a declaration keyword; reports and returns null when absent. */
function declName(c: Cursor, what: string): Tok | null {
  const t = c.peek();
  if (t.kind === 'ident') return c.next();
  c.expected(what, t);
  return null;
}

/**
 * Consumes the '{' that opens a body. A newline before it is tolerated. When it is missing,
 * the rest of the line is skipped up to a '{'; without one, null is returned and the body
 * is parsed anyway (its closing brace will not be demanded).
 */
function openBody(c: Cursor, owner: string): Tok | null {
  if (c.peek().kind === 'newline' && c.peekPastNewlines().text === '{' && c.peekPastNewlines().kind === 'punct') {
    c.skipNewlines();
  }
  if (c.at('{')) return c.next();
  c.expected(`'{' to open ${owner}`, c.peek());
  for (;;) {
    const t = c.peek();
    if (t.kind === 'newline' || t.kind === 'eof' || c.isDeclStart(t)) return null;
    c.next();
    if (t.kind === 'punct' && t.text === '{') return t;
  }
}

/** Parses statements (or settings) up to the '}' that closes `open`, and consumes it. */
function parseBody<T>(c: Cursor, open: Tok | null, owner: string, item: () => T | null): T[] {
  const out: T[] = [];
  for (;;) {
    c.skipNewlines();
    const t = c.peek();
    if (t.kind === 'punct' && t.text === '}') {
      c.next();
      return out;
    }
    if (t.kind === 'eof' || c.isDeclStart(t)) {
      c.beginStatement();
      if (open !== null) c.expected(`'}' to close ${owner}`, t, spanOf(open));
      return out;
    }
    c.beginStatement();
    const it = item();
    if (it !== null) out.push(it);
    if (!c.errored && !c.atStatementEnd()) c.expected(endExpectation(it), c.peek());
    if (c.errored) c.recoverStatement();
  }
}

/** What may follow a complete statement or setting on its line. */
function endExpectation(item: unknown): string {
  const kind = item !== null && typeof item === 'object' && 'kind' in item ? (item as { kind: string }).kind : '';
  return kind === 'Chain' || kind === 'Bind' || kind === 'Output' ? `'->' or a newline` : 'a newline';
}

function parseModel(c: Cursor): ModelDecl {
  const kw = c.next();
  const name = declName(c, `a model name after 'model'`);
  const owner = name ? `model ${name.text}` : 'the model';
  const open = openBody(c, `the body of ${owner}`);
  const body = parseBody(c, open, owner, () => parseStatement(c));
  return { kind: 'Model', name: name && identOf(name), body, span: { start: kw.start, end: c.lastEnd } };
}

function parseBlock(c: Cursor): BlockDecl {
  const kw = c.next();
  const name = declName(c, `a block name after 'block'`);
  const owner = name ? `block ${name.text}` : 'the block';
  let params: Param[] = [];
  if (c.at('(')) {
    const open = c.next();
    params = parseDelimited<Param>(c, open, ')', `the parameters of ${owner}`, () => parseParam(c)).items;
  }
  if (c.errored) {
    // Skip the rest of a broken header up to its '{', if it is on this line. A declaration
    // keyword that starts a line ends the header: the parser (and the incremental checker's
    // split, which cuts the file there) starts the next declaration at it.
    while (!c.atStatementEnd() && !c.at('{') && !c.isDeclStart(c.peek())) c.next();
  }
  const open = openBody(c, `the body of ${owner}`);
  const body = parseBody(c, open, owner, () => parseStatement(c));
  return { kind: 'Block', name: name && identOf(name), params, body, span: { start: kw.start, end: c.lastEnd } };
}

function parseParam(c: Cursor): Param | null {
  const t = c.peek();
  if (t.kind !== 'ident') {
    c.expected('a parameter name', t);
    return null;
  }
  c.next();
  let def: Expr | null = null;
  if (c.at('=')) {
    c.next();
    def = parseValue(c, `a default value for ${t.text}`);
  }
  return { name: identOf(t), default: def, span: { start: t.start, end: c.lastEnd } };
}

function parseTrain(c: Cursor): TrainDecl {
  const kw = c.next();
  const model = declName(c, `the name of the model to train after 'train'`);
  const owner = model ? `train ${model.text}` : 'the train block';
  const open = openBody(c, `the body of ${owner}`);
  const settings = parseBody(c, open, owner, () => parseSetting(c));
  return { kind: 'Train', model: model && identOf(model), settings, span: { start: kw.start, end: c.lastEnd } };
}

function parseSetting(c: Cursor): Setting | null {
  const t = c.peek();
  if (t.kind !== 'ident') {
    c.expected('a setting such as epochs = 10', t);
    return null;
  }
  c.next();
  const name = identOf(t);
  if (!c.at('=')) {
    c.expected(`'=' after the setting ${t.text}`, c.peek());
    return { name, value: null, span: spanOf(t) };
  }
  c.next();
  let value: Expr | null = null;
  if (c.atStatementEnd()) c.expected(`a value for ${t.text}`, c.peek());
  else value = parseValue(c, `a value for ${t.text}`);
  return { name, value, span: { start: t.start, end: c.lastEnd } };
}

function parseStatement(c: Cursor): Stmt | null {
  const t = c.peek();
  if (t.kind === 'keyword') {
    if (t.text === 'input') return parseInput(c);
    if (t.text === 'output') return parseOutput(c);
    if (t.text === 'repeat') return parseRepeat(c);
  }
  if (t.kind === 'ident') {
    if (c.at('=', 1)) return parseBind(c);
    const layers = parseLayers(c);
    return { kind: 'Chain', layers, span: { start: t.start, end: c.lastEnd } };
  }
  c.expected('a statement (input, output, repeat, a layer or NAME = ...)', t);
  return null;
}

/** Parses `Layer -> Layer ...`; the first layer is required and the cursor is at it. */
function parseLayers(c: Cursor): Call[] {
  const layers: Call[] = [parseCall(c)];
  while (!c.errored && c.at('->')) {
    c.next();
    c.skipNewlines();
    const t = c.peek();
    if (t.kind !== 'ident') {
      c.expected(`a layer after '->'`, t);
      break;
    }
    layers.push(parseCall(c));
  }
  return layers;
}

/** Parses a SOURCE: a tensor name or a tuple of names; null when absent. */
function parseSource(c: Cursor): Expr | null {
  const t = c.peek();
  if (t.kind === 'ident') {
    c.next();
    return identOf(t);
  }
  if (t.kind === 'punct' && t.text === '(') {
    const tuple = parseValue(c);
    if (tuple.kind === 'Tuple') {
      for (const item of tuple.items) {
        if (item.kind !== 'Ident' && item.kind !== 'Error') {
          c.error(`expected a tensor name in the source tuple, found ${describeExpr(item)}`, item.span);
        }
      }
    }
    return tuple;
  }
  c.expected(`a tensor name, a tuple (a, b) or a layer after '='`, t);
  return null;
}

function describeExpr(e: Expr): string {
  switch (e.kind) {
    case 'Number':
      return 'a number';
    case 'String':
      return 'a string';
    case 'Bool':
      return 'a boolean';
    case 'Call':
      return `a call to ${e.callee.name}`;
    case 'List':
      return 'a list';
    case 'Tuple':
      return 'a tuple';
    case 'Dict':
      return 'a dictionary';
    default:
      return 'an expression';
  }
}

function parseBind(c: Cursor): Stmt {
  const nameTok = c.next();
  c.next(); // '='
  const rhs = parseBindTarget(c);
  return { kind: 'Bind', name: identOf(nameTok), ...rhs, span: { start: nameTok.start, end: c.lastEnd } };
}

/**
 * What follows '=' in a binding: `SOURCE -> LAYER ...`, or `LAYER(...) -> ...` whose source
 * is the current tensor (a name followed by '(' is always a call, never a tensor).
 */
function parseBindTarget(c: Cursor): { source: Expr | null; layers: Call[]; fromCurrent: boolean } {
  if (c.peek().kind === 'ident' && c.at('(', 1)) return { source: null, layers: parseLayers(c), fromCurrent: true };
  const source = parseSource(c);
  const layers: Call[] = [];
  if (!c.errored && c.at('->')) {
    c.next();
    c.skipNewlines();
    if (c.peek().kind === 'ident') layers.push(...parseLayers(c));
    else c.expected(`a layer after '->'`, c.peek());
  }
  return { source, layers, fromCurrent: false };
}

function parseOutput(c: Cursor): OutputStmt {
  const kw = c.next();
  const t = c.peek();
  const name = t.kind === 'ident' ? identOf(c.next()) : null;
  if (name === null) c.expected(`a tensor name after 'output'`, t);
  if (!c.errored && c.at('=')) {
    c.next();
    const rhs = parseBindTarget(c);
    return { kind: 'Output', name, ...rhs, binds: true, span: { start: kw.start, end: c.lastEnd } };
  }
  return { kind: 'Output', name, source: null, layers: [], binds: false, fromCurrent: false, span: { start: kw.start, end: c.lastEnd } };
}

function parseInput(c: Cursor): InputStmt {
  const kw = c.next();
  const stmt: InputStmt = { kind: 'Input', name: null, shape: null, dtype: 'float32', dtypeSpan: null, span: spanOf(kw) };
  const t = c.peek();
  if (t.kind !== 'ident') {
    c.expected(`an input name after 'input'`, t);
    stmt.span.end = c.lastEnd;
    return stmt;
  }
  stmt.name = identOf(c.next());
  if (!c.at(':')) {
    c.expected(`':' and a shape after the input name ${t.text}`, c.peek());
  } else {
    c.next();
    if (c.at('[')) {
      const shape = parseValue(c);
      if (shape.kind === 'List') stmt.shape = shape;
    } else {
      c.expected('a shape such as [28, 28, 1]', c.peek());
    }
  }
  if (!c.errored && (c.at('int') || c.at('float'))) {
    const d = c.next();
    stmt.dtype = d.text === 'int' ? 'int32' : 'float32';
    stmt.dtypeSpan = spanOf(d);
  }
  stmt.span.end = c.lastEnd;
  return stmt;
}

function parseRepeat(c: Cursor): RepeatStmt {
  const kw = c.next();
  let count: Expr | null = null;
  if (c.at('{') || c.atStatementEnd()) c.expected(`a count after 'repeat'`, c.peek());
  else count = parseValue(c, `a count after 'repeat'`);
  const open = c.errored ? skipToBrace(c) : openBody(c, 'the body of repeat');
  // Too deep a nesting leaves the body to the enclosing statement's recovery, which skips it.
  if (open !== null && !c.enter(open)) return { kind: 'Repeat', count, body: [], span: { start: kw.start, end: c.lastEnd } };
  // Without a '{' the lines below belong to the enclosing body, not to the repeat.
  let body: Stmt[] = [];
  try {
    if (open !== null) body = parseBody(c, open, 'repeat', () => parseStatement(c));
  } finally {
    if (open !== null) c.leave();
  }
  // The repeat ended at its '}'; what follows on the line is checked as usual.
  if (open !== null) c.beginStatement();
  return { kind: 'Repeat', count, body, span: { start: kw.start, end: c.lastEnd } };
}

/** After a broken repeat header: the '{' later on the line, if any, consumed. */
function skipToBrace(c: Cursor): Tok | null {
  while (!c.atStatementEnd()) {
    const t = c.next();
    if (t.kind === 'punct' && t.text === '{') return t;
  }
  return null;
}
