// Binds the arguments of a call to a list of ArgSpecs, generically: positional arguments in
// declaration order, then keywords; unknown keywords, missing required arguments and values
// of the wrong type or range become diagnostics at the smallest span that shows them. The
// same code binds layer calls (with the catalog's value checks) and block calls (whose
// parameters take any value).

import { checkArgs, findLayer, kerasArgumentNames, netspecArgumentFor, type ArgSpec, type ArgValue, type ResolvedArgs } from '../../../../engine/catalog/index';
import { suggest } from '../suggest';
import type { Call, Expr, Ident, Span } from '../../syntax/ast';
import type { RelatedInfo } from '../../syntax/diagnostic';
import type { DiagnosticSink } from '../context';

/** A value as the checker sees it: a plain argument value, or a symbolic size. */
export type PVal = ArgValue | { sym: string };

export function isSym(v: PVal | undefined | null): v is { sym: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'sym' in v;
}

/** How identifiers in argument values resolve: block parameters, sizes, or enum words. */
export interface ValueEnv {
  lookup(id: Ident): PVal | undefined;
}

/** The value of an argument expression, or null when it cannot be a value at all. */
export function evalValue(expr: Expr, env: ValueEnv): PVal | null {
  switch (expr.kind) {
    case 'Number':
      return expr.value;
    case 'Bool':
      return expr.value;
    case 'String':
      return expr.value;
    case 'Ident':
      return env.lookup(expr) ?? expr.name;
    case 'List':
    case 'Tuple': {
      const out: number[] = [];
      for (const item of expr.items) {
        const v = evalValue(item, env);
        if (isSym(v)) return v;
        if (typeof v !== 'number') return null;
        out.push(v);
      }
      return out;
    }
    default:
      return null;
  }
}

/**
 * A pad2 value: k, (a, b), or Keras's ((top, bottom), (left, right)), which is flattened to
 * [top, bottom, left, right] because argument values are flat. A flat list of four is not a
 * pad2 value (it would read as four axes), so only the nested form yields four numbers.
 */
function evalPadding(expr: Expr, env: ValueEnv): PVal | null {
  const nested = (expr.kind === 'Tuple' || expr.kind === 'List') && expr.items.length === 2 && expr.items.every((i) => i.kind === 'Tuple' || i.kind === 'List');
  if (!nested) {
    const v = evalValue(expr, env);
    return Array.isArray(v) && v.length !== 2 ? null : v;
  }
  const out: number[] = [];
  for (const item of expr.items) {
    const v = evalValue(item, env);
    if (isSym(v)) return v;
    if (!Array.isArray(v) || v.length !== 2) return null;
    out.push(...v);
  }
  return out;
}

/** `Dense(units, activation=linear, bias=true)`: the signature shown in messages. */
export function signature(name: string, specs: readonly ArgSpec[]): string {
  const parts = specs.map((s) => {
    if (s.required) return s.name;
    if (s.default !== undefined) {
      const d = s.default;
      const text = Array.isArray(d) ? (d.length === 2 && d[0] === d[1] ? String(d[0]) : `(${d.join(', ')})`) : String(d);
      return `${s.name}=${text}`;
    }
    return `${s.name}=${s.defaultText ?? '...'}`;
  });
  return `${name}(${parts.join(', ')})`;
}

/**
 * A call's arguments bound to its specs. `values[i]` and `spans[i]` belong to `specs[i]`
 * (plain arrays rather than maps: a file has thousands of calls with a few arguments each).
 */
export interface BoundCall {
  specs: readonly ArgSpec[];
  /** The value of each written argument, by spec index; undefined when not written. */
  values: (PVal | undefined)[];
  /** The value expression's span of each written argument, by spec index. */
  spans: (Span | undefined)[];
  ok: boolean;
}

/** The index of the first spec named `name`, or -1. */
function specIndex(specs: readonly ArgSpec[], name: string): number {
  for (let i = 0; i < specs.length; i++) if (specs[i].name === name) return i;
  return -1;
}

/** The value bound to the argument `name`, if one was written. */
export function boundValue(bound: BoundCall, name: string): PVal | undefined {
  const i = specIndex(bound.specs, name);
  return i < 0 ? undefined : bound.values[i];
}

/** The span of the value written for the argument `name`, if one was written. */
export function boundSpan(bound: BoundCall, name: string): Span | undefined {
  const i = specIndex(bound.specs, name);
  return i < 0 ? undefined : bound.spans[i];
}

/**
 * Matches a call's arguments to `specs` by position then keyword, reporting unknown,
 * duplicate and missing arguments. Values are evaluated but not type-checked here.
 */
export function matchArgs(
  call: Call,
  owner: string,
  specs: readonly ArgSpec[],
  env: ValueEnv,
  sink: DiagnosticSink,
  related: RelatedInfo[],
): BoundCall {
  const values: (PVal | undefined)[] = new Array(specs.length);
  const spans: (Span | undefined)[] = new Array(specs.length);
  let ok = true;
  let position = 0;
  let sawKeyword = false;
  // Calls have a handful of arguments, so a list is cheaper than a set.
  const given: string[] = [];
  for (const arg of call.args) {
    const valueSpan = arg.value?.span ?? arg.span;
    let spec: ArgSpec | undefined;
    let index: number;
    if (arg.name) {
      sawKeyword = true;
      index = specIndex(specs, arg.name.name);
      spec = specs[index];
      const netspecName = spec ? undefined : netspecArgumentFor(arg.name.name);
      if (netspecName !== undefined && specIndex(specs, netspecName) >= 0) {
        // A Keras spelling (`kernel_size=`): one diagnostic with its fix, and the value still
        // binds to the argument it means, so it is not also "missing".
        index = specIndex(specs, netspecName);
        spec = specs[index];
        sink.add(
          'unknown-argument',
          arg.name.span,
          `\`${arg.name.name}\` is Keras's spelling; ${owner} calls this argument \`${netspecName}\``,
          related,
          { kind: 'replace-name', replacement: netspecName },
        );
      } else if (!spec) {
        const names = specs.map((s) => s.name);
        // A misspelt Keras name (`use_bais`) suggests the Netspec argument it means.
        const kerasNames = kerasArgumentNames().filter((k) => names.includes(netspecArgumentFor(k)!));
        const near = suggest(arg.name.name, [...names, ...kerasNames]);
        const hint = near === undefined ? undefined : names.includes(near) ? near : netspecArgumentFor(near);
        const known = names.length ? `; ${owner} takes ${names.join(', ')}` : `; ${owner} takes no arguments`;
        sink.add(
          'unknown-argument',
          arg.name.span,
          `${owner} has no argument \`${arg.name.name}\`${hint ? `; did you mean \`${hint}\`?` : known}`,
          related,
          hint ? { kind: 'replace-name', replacement: hint } : undefined,
        );
        ok = false;
        continue;
      }
    } else {
      if (sawKeyword) {
        sink.add('bad-argument', arg.span, `a positional argument cannot follow a keyword argument in ${signature(owner, specs)}`, related);
        ok = false;
        continue;
      }
      index = position++;
      spec = specs[index];
      if (!spec) {
        const most = specs.length === 0 ? 'no arguments' : `at most ${specs.length} argument${specs.length === 1 ? '' : 's'}`;
        sink.add('unknown-argument', arg.span, `${owner} takes ${most}: ${signature(owner, specs)}`, related);
        ok = false;
        continue;
      }
    }
    if (given.includes(spec.name)) {
      sink.add('bad-argument', arg.span, `${owner}'s \`${spec.name}\` is given twice`, related);
      ok = false;
      continue;
    }
    given.push(spec.name);
    if (!arg.value || arg.value.kind === 'Error') {
      ok = false; // The parser already reported the missing value.
      continue;
    }
    const v = spec.type === 'layer' ? layerCallValue(arg.value, owner, spec, env, sink, related) : spec.type === 'pad2' ? evalPadding(arg.value, env) : evalValue(arg.value, env);
    if (v === REPORTED) {
      ok = false;
      continue;
    }
    if (v === null) {
      sink.add('bad-argument', valueSpan, `${owner}'s \`${spec.name}\` must be ${expectedText(spec)}, but is \`${textOf(arg.value)}\``, related);
      ok = false;
      continue;
    }
    // A positional argument always lands on the first spec of its name (a later one with
    // the same name would have been "given twice"), so by-name lookups find it.
    values[index] = v;
    spans[index] = valueSpan;
  }
  // An argument whose value was wrong is not also missing; only report truly absent ones.
  const absent = specs.filter((s) => s.required && !given.includes(s.name));
  if (absent.length > 0) {
    const names = absent.map((s) => `\`${s.name}\``).join(', ');
    sink.add(
      'missing-argument',
      call.span,
      `${owner} is missing the argument${absent.length > 1 ? 's' : ''} ${names}: ${signature(owner, specs)}`,
      related,
    );
    ok = false;
  }
  return { specs, values, spans, ok };
}

/** Marks a value whose errors were already reported where they are. */
const REPORTED = Symbol('reported');

/**
 * A layer call given as a value (Bidirectional's `LSTM(64)`): the layer must be one `spec`
 * names, and its own arguments are bound and checked against its spec, so each error points
 * inside the inner call. Null when the value is not a call at all.
 */
function layerCallValue(expr: Expr, owner: string, spec: ArgSpec, env: ValueEnv, sink: DiagnosticSink, related: RelatedInfo[]): PVal | null | typeof REPORTED {
  const allowed = spec.values ?? [];
  if (expr.kind === 'Ident') {
    // `Bidirectional(LSTM)`: the layer is right but it needs its own arguments.
    const bare = findLayer(expr.name);
    if (bare && allowed.includes(bare.name)) {
      sink.add('bad-argument', expr.span, `${owner}'s \`${spec.name}\` is a call with its own arguments: ${signature(bare.name, bare.args)}`, related);
      return REPORTED;
    }
  }
  if (expr.kind !== 'Call') return null;
  const name = expr.callee.name;
  const inner = findLayer(name);
  if (!inner || !allowed.includes(inner.name)) {
    const what = inner ? `${inner.name} is not one of them` : `there is no layer ${name}`;
    sink.add('bad-argument', expr.callee.span, `${owner}'s \`${spec.name}\` must be a call of ${allowed.join(', ')}, but ${what}`, related);
    return REPORTED;
  }
  const bound = matchArgs(expr, inner.name, inner.args, env, sink, related);
  const args = resolveLayerArgs(inner.name, inner.args, bound, expr.span, sink, related);
  return args ? { op: inner.name, args } : REPORTED;
}

function expectedText(spec: ArgSpec): string {
  switch (spec.type) {
    case 'int':
      return 'an integer';
    case 'float':
      return 'a number';
    case 'bool':
      return 'true or false';
    case 'enum':
      return `one of ${(spec.values ?? []).join(', ')}`;
    case 'size2':
      return 'an integer k or a pair (a, b)';
    case 'ints':
      return 'a list of integers';
    case 'pad2':
      return 'an integer k, a pair (a, b) or ((top, bottom), (left, right))';
    case 'string':
      return 'a string';
    case 'layer':
      return `a call of ${(spec.values ?? []).join(', ')}`;
    default:
      return 'a value';
  }
}

function textOf(expr: Expr): string {
  switch (expr.kind) {
    case 'Ident':
      return expr.name;
    case 'Call':
      return `${expr.callee.name}(...)`;
    case 'Dict':
      return '{...}';
    case 'String':
      return JSON.stringify(expr.value);
    default:
      return expr.kind.toLowerCase();
  }
}

/**
 * Checks matched values against the catalog's ArgSpecs and fills literal defaults. A value
 * that is still symbolic where a number is needed is `symbolic-size`.
 */
export function resolveLayerArgs(
  owner: string,
  specs: readonly ArgSpec[],
  bound: BoundCall,
  callSpan: Span,
  sink: DiagnosticSink,
  related: RelatedInfo[],
): ResolvedArgs | null {
  const out: ResolvedArgs = {};
  let ok = bound.ok;
  for (const spec of specs) {
    const v = boundValue(bound, spec.name);
    if (v === undefined) {
      if (spec.default !== undefined) out[spec.name] = spec.default;
      continue;
    }
    const span = boundSpan(bound, spec.name) ?? callSpan;
    if (isSym(v)) {
      sink.add(
        'symbolic-size',
        span,
        `${owner}'s \`${spec.name}\` must be a known number, but ${v.sym} is a symbolic size`,
        related,
      );
      ok = false;
      continue;
    }
    // A bare word where a number or flag is expected reads better as "is `foo`".
    const checked = checkArgs(owner, [spec], { [spec.name]: v });
    if ('issue' in checked) {
      const issue = checked.issue;
      const message = issue.ok ? '' : issue.issue.message;
      sink.add('bad-argument', span, message, related);
      ok = false;
      continue;
    }
    out[spec.name] = checked.args[spec.name];
  }
  return ok ? out : null;
}
