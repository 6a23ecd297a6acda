// Symbolic sizes as a small expression tree. A shape's symbolic size (`seq`, `h-2`,
// `ceil(h/2)`, `floor((seq-3)/3)+1`, `seq*4`, `a+b`) is computed here, printed to its
// canonical text, and evaluated once the symbols are bound (the memory estimate binds them
// from the data). The text is what the IR, messages, hover and `--json` carry: it crosses
// process boundaries as JSON and two sizes are equal exactly when their texts are, so the
// printer is the one place that fixes that text, and `parseSize` reads it back.

/** A size expression. Sums and products keep their integer constant apart from their terms. */
export type SizeExpr =
  | { kind: 'num'; value: number }
  | { kind: 'sym'; name: string }
  /** terms... + constant; at least one term, none of them a sum or a number. */
  | { kind: 'sum'; terms: SizeExpr[]; constant: number }
  /** factors... * constant; at least one factor, none of them a number. */
  | { kind: 'product'; factors: SizeExpr[]; constant: number }
  /** ceil(arg / by) or floor(arg / by), by > 1. */
  | { kind: 'div'; round: 'ceil' | 'floor'; arg: SizeExpr; by: number };

export function num(value: number): SizeExpr {
  return { kind: 'num', value };
}

export function sym(name: string): SizeExpr {
  return { kind: 'sym', name };
}

/** a + k for an integer k; constants fold (`h-2` + 1 is `h-1`, `x-1` + 1 is `x`). */
export function addConst(a: SizeExpr, k: number): SizeExpr {
  if (a.kind === 'num') return num(a.value + k);
  if (k === 0) return a;
  if (a.kind === 'sum') {
    const constant = a.constant + k;
    return constant === 0 && a.terms.length === 1 ? a.terms[0] : { kind: 'sum', terms: a.terms, constant };
  }
  return { kind: 'sum', terms: [a], constant: k };
}

/** The sum of sizes: known ones add into the constant, symbolic ones are kept in order. */
export function sumOf(items: readonly SizeExpr[]): SizeExpr {
  const terms: SizeExpr[] = [];
  let constant = 0;
  for (const e of items) {
    if (e.kind === 'num') constant += e.value;
    else if (e.kind === 'sum') {
      terms.push(...e.terms);
      constant += e.constant;
    } else terms.push(e);
  }
  if (terms.length === 0) return num(constant);
  if (terms.length === 1 && constant === 0) return terms[0];
  return { kind: 'sum', terms, constant };
}

/** The product of sizes: known ones multiply into the constant. */
export function productOf(items: readonly SizeExpr[]): SizeExpr {
  const factors: SizeExpr[] = [];
  let constant = 1;
  for (const e of items) {
    if (e.kind === 'num') constant *= e.value;
    else if (e.kind === 'product') {
      factors.push(...e.factors);
      constant *= e.constant;
    } else factors.push(e);
  }
  if (factors.length === 0) return num(constant);
  if (factors.length === 1 && constant === 1) return factors[0];
  return { kind: 'product', factors, constant };
}

/** ceil(a / by) or floor(a / by) for a positive integer `by`. */
export function divide(a: SizeExpr, by: number, round: 'ceil' | 'floor'): SizeExpr {
  if (a.kind === 'num') return num(round === 'ceil' ? Math.ceil(a.value / by) : Math.floor(a.value / by));
  if (by === 1) return a;
  return { kind: 'div', round, arg: a, by };
}

/** The canonical text of a size: `h-2`, `ceil(h/2)`, `floor((seq-3)/3)+1`, `(h-1)*2`. */
export function printSize(e: SizeExpr): string {
  switch (e.kind) {
    case 'num':
      return String(e.value);
    case 'sym':
      return e.name;
    case 'sum': {
      const body = e.terms.map(printSize).join('+');
      return e.constant === 0 ? body : e.constant > 0 ? `${body}+${e.constant}` : `${body}-${-e.constant}`;
    }
    case 'product': {
      const parts = e.factors.map(operand);
      if (e.constant !== 1) parts.push(String(e.constant));
      return parts.join('*');
    }
    case 'div':
      return `${e.round}(${operand(e.arg)}/${e.by})`;
  }
}

/** A factor or dividend: names and ceil/floor stand alone, anything compound is parenthesised. */
function operand(e: SizeExpr): string {
  const text = printSize(e);
  return e.kind === 'sym' || e.kind === 'num' || e.kind === 'div' ? text : `(${text})`;
}

/** The value of a size once its symbols are bound; null when one is unbound or it is not a size. */
export function evalSize(e: SizeExpr, symbols: ReadonlyMap<string, number>): number | null {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'sym':
      return symbols.get(e.name) ?? null;
    case 'sum': {
      let v = e.constant;
      for (const t of e.terms) {
        const x = evalSize(t, symbols);
        if (x === null) return null;
        v += x;
      }
      return v;
    }
    case 'product': {
      let v = e.constant;
      for (const f of e.factors) {
        const x = evalSize(f, symbols);
        if (x === null) return null;
        v *= x;
      }
      return v;
    }
    case 'div': {
      const x = evalSize(e.arg, symbols);
      if (x === null) return null;
      return e.round === 'ceil' ? Math.ceil(x / e.by) : Math.floor(x / e.by);
    }
  }
}

/** Parsed texts, so a size computed from another many times is read once. */
const PARSED = new Map<string, SizeExpr | null>();
const MAX_PARSED = 4096;

/**
 * Reads a size's canonical text back into its tree (sizes cross process boundaries as text);
 * null for text that is not a size in this grammar. Never throws.
 */
export function parseSize(text: string): SizeExpr | null {
  const hit = PARSED.get(text);
  if (hit !== undefined) return hit;
  const e = new SizeParser(text).parse();
  if (PARSED.size >= MAX_PARSED) PARSED.clear();
  PARSED.set(text, e);
  return e;
}

/** Recursive descent over `sum := product (('+'|'-') product)*`, `product := atom ('*' atom)*`. */
class SizeParser {
  private readonly tokens: string[];
  private at = 0;

  constructor(text: string) {
    const tokens = text.match(/[A-Za-z_][A-Za-z0-9_]*|\d+|[-+*/()]|\S/g) ?? [];
    this.tokens = tokens.join('') === text.replace(/\s+/g, '') ? tokens : ['?'];
  }

  parse(): SizeExpr | null {
    const e = this.sum();
    return e !== null && this.at === this.tokens.length ? e : null;
  }

  private peek(): string | undefined {
    return this.tokens[this.at];
  }

  private sum(): SizeExpr | null {
    const first = this.product();
    if (first === null) return null;
    const items: SizeExpr[] = [first];
    while (this.peek() === '+' || this.peek() === '-') {
      const minus = this.tokens[this.at++] === '-';
      const next = this.product();
      if (next === null) return null;
      // Only constants are subtracted in sizes the printer writes.
      if (minus && next.kind !== 'num') return null;
      items.push(minus && next.kind === 'num' ? num(-next.value) : next);
    }
    return items.length === 1 ? first : sumOf(items);
  }

  private product(): SizeExpr | null {
    const first = this.atom();
    if (first === null) return null;
    const items: SizeExpr[] = [first];
    while (this.peek() === '*') {
      this.at++;
      const next = this.atom();
      if (next === null) return null;
      items.push(next);
    }
    return items.length === 1 ? first : productOf(items);
  }

  private atom(): SizeExpr | null {
    const t = this.tokens[this.at++];
    if (t === undefined) return null;
    if (/^\d+$/.test(t)) return num(Number(t));
    if (t === '(') {
      const e = this.sum();
      return e !== null && this.tokens[this.at++] === ')' ? e : null;
    }
    if ((t === 'ceil' || t === 'floor') && this.peek() === '(') {
      this.at++;
      const arg = this.sum();
      if (arg === null || this.tokens[this.at++] !== '/') return null;
      const by = this.tokens[this.at++];
      if (by === undefined || !/^\d+$/.test(by) || Number(by) < 1 || this.tokens[this.at++] !== ')') return null;
      return divide(arg, Number(by), t);
    }
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(t) ? sym(t) : null;
  }
}
