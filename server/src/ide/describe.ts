// How the IDE features write layers, blocks and numbers. Hover, completion and signature
// help show the same signature text, and code lenses and hovers the same counts, so the
// wording lives in one place.

import type { ArgSpec, LayerSpec } from '../../../engine/catalog/types';
import type { BlockDecl, Expr } from '../syntax/ast';

/** "1,234,567". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "4.87 M", "1.2 G", "950": FLOPs in a compact form. */
export function formatFlops(n: number | null): string {
  if (n === null) return 'unknown (symbolic size)';
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [scale, unit] of units) {
    if (n >= scale) return `${trimNumber(n / scale)} ${unit}`;
  }
  return String(n);
}

function trimNumber(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1).replace(/\.0$/, '') : x.toFixed(2).replace(/\.?0+$/, '');
}

/** One argument as a signature shows it: `units`, `stride=1`, `stride=pool`. */
export function argLabel(arg: ArgSpec): string {
  if (arg.required) return arg.name;
  return `${arg.name}=${defaultText(arg)}`;
}

export function defaultText(arg: ArgSpec): string {
  if (arg.defaultText !== undefined) return arg.defaultText;
  const d = arg.default;
  if (d === undefined) return '?';
  if (Array.isArray(d)) return d.length === 2 && d[0] === d[1] ? String(d[0]) : `(${d.join(', ')})`;
  return String(d);
}

/** `Conv2D(filters, kernel, stride=1, ...)` with each argument's [start, end) in the label. */
export function layerSignature(spec: LayerSpec): { label: string; params: [number, number][] } {
  return signatureOf(spec.name, spec.args.map(argLabel));
}

/** `Encoder(d, heads=4)` for a block declaration. */
export function blockSignature(block: BlockDecl, text: string): { label: string; params: [number, number][] } {
  const parts = block.params.map((p) =>
    p.default ? `${p.name.name}=${text.slice(p.default.span.start, p.default.span.end)}` : p.name.name,
  );
  return signatureOf(block.name?.name ?? 'block', parts);
}

function signatureOf(name: string, parts: string[]): { label: string; params: [number, number][] } {
  let label = `${name}(`;
  const params: [number, number][] = [];
  parts.forEach((p, i) => {
    if (i > 0) label += ', ';
    params.push([label.length, label.length + p.length]);
    label += p;
  });
  return { label: label + ')', params };
}

/** A snippet with placeholders for the required arguments: `Dense(${1:units})`. */
export function callSnippet(name: string, required: string[]): string {
  return `${name}(${required.map((r, i) => `\${${i + 1}:${r}}`).join(', ')})`;
}

/** Markdown for one argument: its type, default and doc. */
export function argDoc(arg: ArgSpec): string {
  const type = arg.type === 'enum' && arg.values ? arg.values.join(' | ') : arg.type;
  const def = arg.required ? 'required' : `default ${defaultText(arg)}`;
  return `\`${arg.name}\` (${type}, ${def}): ${arg.doc}`;
}

/** Source text of an expression, for messages. */
export function exprText(e: Expr | null, text: string): string {
  return e ? text.slice(e.span.start, e.span.end) : '?';
}
