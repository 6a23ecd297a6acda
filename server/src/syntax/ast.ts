// The syntax tree of a Netspec file. Every node carries its span (UTF-16 offsets into the
// text, end exclusive). The tree is lossless together with `File.tokens`: the tokens,
// trivia included, concatenate back to the exact source text, which is what the formatter
// and semantic tokens walk. Parsing never fails: a missing piece is `null` (or an
// `ErrorExpr`) and the parser reports a `syntax` diagnostic instead.

export interface Span {
  start: number;
  end: number;
}

export type TokenKind =
  | 'ident'
  | 'keyword'
  | 'number'
  | 'string'
  | 'punct' // ( ) [ ] { } , : = -> 
  | 'comment'
  | 'whitespace' // spaces and tabs
  | 'newline'
  | 'error'; // a character that starts no token, or an unterminated string

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

export interface Ident {
  kind: 'Ident';
  name: string;
  span: Span;
}

export interface NumberLit {
  kind: 'Number';
  value: number;
  /** True when written without '.', 'e' or 'E' (so it can be a size or an int argument). */
  isInt: boolean;
  span: Span;
}

export interface BoolLit {
  kind: 'Bool';
  value: boolean;
  span: Span;
}

export interface StringLit {
  kind: 'String';
  value: string;
  span: Span;
}

export interface ListExpr {
  kind: 'List';
  items: Expr[];
  span: Span;
}

/** `(a, b)`: a pair of sizes as an argument, or several tensors as a SOURCE. */
export interface TupleExpr {
  kind: 'Tuple';
  items: Expr[];
  span: Span;
}

/** `{key: value, ...}` in train settings (loss, loss_weights, csv target). */
export interface DictExpr {
  kind: 'Dict';
  entries: DictEntry[];
  span: Span;
}

export interface DictEntry {
  key: Ident;
  value: Expr | null;
  span: Span;
}

/** A layer or block call, or a function in settings (`csv(...)`, `adam(lr=...)`). */
export interface Call {
  kind: 'Call';
  callee: Ident;
  args: Arg[];
  /** False for a bare `Flatten` without parentheses. */
  hasParens: boolean;
  /** From '(' to ')' inclusive, when there are parentheses (for signature help). */
  argsSpan: Span | null;
  span: Span;
}

export interface Arg {
  /** `key=value` arguments have a name; positional ones do not. */
  name: Ident | null;
  value: Expr | null;
  span: Span;
}

/** Stands where an expression was required and none could be parsed. */
export interface ErrorExpr {
  kind: 'Error';
  span: Span;
}

export type Expr = Ident | NumberLit | BoolLit | StringLit | ListExpr | TupleExpr | DictExpr | Call | ErrorExpr;

/** `input x: [28, 28, 1]` or `input ids: [seq] int`. */
export interface InputStmt {
  kind: 'Input';
  name: Ident | null;
  shape: ListExpr | null;
  dtype: 'float32' | 'int32';
  /** The `int` / `float` keyword when written. */
  dtypeSpan: Span | null;
  span: Span;
}

/** A statement that is a chain of layers applied to the current tensor: `Dense(10) -> ReLU()`. */
export interface ChainStmt {
  kind: 'Chain';
  layers: Call[];
  span: Span;
}

/**
 * `NAME = SOURCE -> LAYER -> ...`, an alias `NAME = SOURCE` (then `layers` is empty), or
 * `NAME = LAYER -> ...`, which names the result of layers applied to the current tensor
 * (then `fromCurrent` is true and `source` is null). A bare `NAME = WORD` is parsed with
 * WORD as the source; the checker reads it as a layer when WORD names no tensor.
 */
export interface BindStmt {
  kind: 'Bind';
  name: Ident;
  /** An Ident or a Tuple of Idents; null when missing after '=' or omitted (`fromCurrent`). */
  source: Expr | null;
  layers: Call[];
  /** True for `NAME = LAYER(...) ...`: the source is the current tensor. */
  fromCurrent: boolean;
  span: Span;
}

/** `output NAME` or `output NAME = SOURCE -> LAYER ...`. */
export interface OutputStmt {
  kind: 'Output';
  name: Ident | null;
  /** Null for the plain `output NAME` form, and when the source is omitted (`fromCurrent`). */
  source: Expr | null;
  layers: Call[];
  /** True when '=' was written (bind-and-mark form). */
  binds: boolean;
  /** True for `output NAME = LAYER(...) ...`: the layers apply to the current tensor. */
  fromCurrent: boolean;
  span: Span;
}

export interface RepeatStmt {
  kind: 'Repeat';
  count: Expr | null;
  body: Stmt[];
  span: Span;
}

export type Stmt = InputStmt | ChainStmt | BindStmt | OutputStmt | RepeatStmt;

export interface ModelDecl {
  kind: 'Model';
  name: Ident | null;
  body: Stmt[];
  span: Span;
}

export interface Param {
  name: Ident;
  default: Expr | null;
  span: Span;
}

export interface BlockDecl {
  kind: 'Block';
  name: Ident | null;
  params: Param[];
  body: Stmt[];
  span: Span;
}

export interface Setting {
  name: Ident;
  value: Expr | null;
  span: Span;
}

export interface TrainDecl {
  kind: 'Train';
  /** The model being trained. */
  model: Ident | null;
  settings: Setting[];
  span: Span;
}

export type Decl = ModelDecl | BlockDecl | TrainDecl;

export interface File {
  kind: 'File';
  decls: Decl[];
  /** Every token, trivia included; their texts concatenate to the source. */
  tokens: Token[];
  span: Span;
}
