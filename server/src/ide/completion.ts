// Completion: what may be typed at the cursor, decided from the tokens around it. Layer and
// block names after `->` or at a statement's start, argument names inside a call's
// parentheses (those not yet given), enum values after `activation=` or `padding=`, tensor
// names where a SOURCE goes, setting names and their values inside `train`, and keywords.
// Layer items carry their parameters and, when the current tensor's shape is known, the
// output shape the layer would give there (its catalog shape rule with the default
// arguments); layers that do not apply there sort after those that do.

import { allLayers, checkArgs, dimEquals, findLayer, formatShape } from '../../../engine/catalog/index';
import type { DType, Shape } from '../../../engine/catalog/shape';
import type { ArgSpec, LayerSpec, ResolvedArgs } from '../../../engine/catalog/types';
import { namedArgs, SETTINGS, settingValues, trainFunction, type TrainFunction, type TrainWord } from '../../../engine/catalog/train/index';
import type { CheckedFile } from '../sema/checked';
import type { BlockDecl, Decl, Stmt, Token, TrainDecl } from '../syntax/ast';
import { findBlock } from './ast_find';
import { argDoc, argLabel, blockSignature, callSnippet, layerSignature } from './describe';
import { declAt, enclosingCall, significantBefore, tokenIndexAt, type EnclosingCall } from './locate';
import type { CompletionData } from './types';

const TOP_KEYWORDS = ['model', 'block', 'train'];
const STATEMENT_KEYWORDS = ['input', 'output', 'repeat'];
const CONTINUATION = new Set([',', '->', '(', '[', '=', ':']);

/** Completion items at `offset`. */
export function complete(checked: CheckedFile, text: string, offset: number): CompletionData[] {
  try {
    return completeUnsafe(checked, text, offset);
  } catch {
    return [];
  }
}

function completeUnsafe(checked: CheckedFile, text: string, offset: number): CompletionData[] {
  const tokens = checked.file.tokens;
  const pos = wordStart(tokens, offset);
  const prevI = significantBefore(tokens, pos);
  const prev = prevI >= 0 ? tokens[prevI] : null;
  const decl = declAt(checked.file.decls, pos);
  if (prev && prev.kind === 'keyword' && prev.text === 'train') return modelItems(checked);
  const inBody = decl !== null && bodyStarted(tokens, decl, pos);
  if (!decl || !inBody) return atStatementStart(tokens, prevI, pos) ? keywordItems(TOP_KEYWORDS) : [];
  if (decl.kind === 'Train') return trainItems(checked, tokens, decl, prevI, pos);
  const call = enclosingCall(tokens, pos);
  if (call) return callItems(checked, text, tokens, call, prev);
  if (!prev) return [];
  if (prev.text === '->') return [...layerItems(inDecl(tensorBeforeArrow(checked, tokens, prevI), decl)), ...blockItems(checked, text)];
  const statementStart = statementStartBefore(tokens, prevI);
  // After `NAME =` the source may be a tensor, or a layer applied to the current tensor.
  if (prev.text === '=' && prev.kind === 'punct') {
    const current = inDecl(currentTensorAt(checked, decl, statementStart), decl);
    return [...tensorItems(checked, text, pos), ...layerItems(current), ...blockItems(checked, text)];
  }
  if ((prev.text === ',' || prev.text === '(') && prev.kind === 'punct') return tensorItems(checked, text, pos);
  if (prev.kind === 'keyword' && prev.text === 'output') return tensorItems(checked, text, pos);
  if (atStatementStart(tokens, prevI, pos)) {
    // A statement may start from a named tensor too: `skip -> Conv2D(...)`.
    const layers = layerItems(inDecl(currentTensorAt(checked, decl, pos), decl));
    return [...keywordItems(STATEMENT_KEYWORDS), ...layers, ...blockItems(checked, text), ...tensorItems(checked, text, pos)];
  }
  return [];
}

/** The start of the line's first significant token at or before token `i` (a statement's start). */
function statementStartBefore(tokens: readonly Token[], i: number): number {
  let j = i;
  while (j > 0 && tokens[j - 1].kind !== 'newline') j--;
  while (j < i && tokens[j].kind !== 'ident' && tokens[j].kind !== 'keyword') j++;
  return j >= 0 && j < tokens.length ? tokens[j].start : 0;
}

/** The start of the word being typed at `offset` (the offset itself when none). */
function wordStart(tokens: readonly Token[], offset: number): number {
  const i = tokenIndexAt(tokens, offset - 1);
  if (i >= 0) {
    const t = tokens[i];
    if ((t.kind === 'ident' || t.kind === 'keyword') && t.start < offset) return t.start;
  }
  return offset;
}

/** True once the cursor is past the declaration's opening brace. */
function bodyStarted(tokens: readonly Token[], decl: Decl, pos: number): boolean {
  for (let i = tokenIndexAt(tokens, decl.span.start); i >= 0 && i < tokens.length && tokens[i].start < pos; i++) {
    if (tokens[i].kind === 'punct' && tokens[i].text === '{') return true;
  }
  return false;
}

/** True when the cursor begins a new statement (or declaration). */
export function atStatementStart(tokens: readonly Token[], prevI: number, pos: number): boolean {
  if (prevI < 0) return true;
  const prev = tokens[prevI];
  if (prev.kind === 'punct' && (prev.text === '{' || prev.text === '}')) return true;
  if (prev.kind === 'punct' && CONTINUATION.has(prev.text)) return false;
  for (let i = prevI + 1; i < tokens.length && tokens[i].start < pos; i++) if (tokens[i].kind === 'newline') return true;
  return false;
}

function keywordItems(words: string[]): CompletionData[] {
  return words.map((w) => ({ label: w, kind: 'keyword', sortText: `0${w}` }));
}

/** The tensor a layer typed at the cursor would receive. */
export interface CurrentTensor {
  shape: Shape;
  dtype: DType;
  /** In a block body, where a symbolic size is bound by each use (no symbolic-size verdict). */
  inBlock?: boolean;
}

/** What a layer would do to the current tensor, from its shape rule with default arguments. */
export type LayerPreview =
  | { fits: true; shape: Shape }
  | { fits: false; reason: string; message: string };

function layerItem(name: string, spec: LayerSpec, current: CurrentTensor | null): CompletionData {
  const required = spec.args.filter((a) => a.required).map((a) => a.name);
  const signature = layerSignature(spec).label;
  const item: CompletionData = {
    label: name,
    kind: 'layer',
    detail: signature,
    labelDetail: signature.slice(spec.name.length),
    documentation: `${spec.summary}\n\nInput \`${spec.inputDoc}\` → output \`${spec.outputDoc}\`.`,
    insertText: callSnippet(name, required),
    snippet: true,
    sortText: `1${name}`,
  };
  const preview = current ? previewLayer(spec, current) : null;
  if (!current || !preview) return item;
  const input = formatShape(current.shape);
  if (preview.fits) {
    const out = formatShape(preview.shape);
    item.labelDescription = `→ ${out}`;
    item.detail = `${signature} → ${out}`;
    item.documentation = `Here: \`${input}\` → \`${out}\`${dependsNote(preview.shape)}.\n\n${item.documentation}`;
  } else {
    item.labelDescription = `✗ ${preview.reason}`;
    item.detail = `${signature}: ${preview.reason}`;
    item.documentation = `Does not apply here to \`${input}\`: ${preview.message}.\n\n${item.documentation}`;
    item.sortText = `2${name}`;
  }
  return item;
}

function dependsNote(shape: Shape): string {
  return shape.some((d) => d === '?') ? ' (`?`: depends on the arguments you give)' : '';
}

/**
 * Applies `spec` to `current` with its default arguments. A required number has no default:
 * the rule runs with 1 for each (or a large value where 1 does not apply, such as
 * PositionEmbedding's `max_len`), then once more per number with it one larger; a size that
 * follows one argument is shown by that argument's name (`units`), one that changes
 * otherwise as `?`. Null when the layer cannot be previewed (a required list or name).
 */
export function previewLayer(spec: LayerSpec, current: CurrentTensor): LayerPreview | null {
  if (spec.arity === 'many') return { fits: false, reason: 'takes (a, b, ...)', message: `${spec.name} takes a tuple of tensors, \`(a, b, ...) -> ${spec.name}()\`` };
  const required = spec.args.filter((x) => x.required);
  if (!required.every((x) => x.type === 'int' || x.type === 'size2' || x.type === 'float')) return null;
  const numbered = required.filter((x) => x.type !== 'float');
  const base = (big: boolean): ResolvedArgs => {
    const args: ResolvedArgs = {};
    for (const x of required) {
      if (x.type === 'float') args[x.name] = ((x.min ?? 0) + (x.max ?? (x.min ?? 0) + 1)) / 2;
      else args[x.name] = big ? Math.min(1 << 20, x.max ?? 1 << 20) : Math.max(1, Math.ceil(x.min ?? 1));
    }
    return args;
  };
  let args = base(false);
  let first = run(spec, current, args);
  if (!first.ok && numbered.length) {
    const big = base(true);
    const second = run(spec, current, big);
    if (second.ok) [args, first] = [big, second];
  }
  if (!first.ok && first.code === 'symbolic-size' && current.inBlock) return null;
  if (!first.ok) return { fits: false, reason: reasonOf(first.code, spec), message: first.message };
  const out = first.shape;
  const changedBy: ArgSpec[][] = out.map(() => []);
  const bumped = new Map<string, Shape>();
  for (const x of numbered) {
    const r = run(spec, current, { ...args, [x.name]: (args[x.name] as number) + 1 });
    if (!r.ok || r.shape.length !== out.length) continue;
    bumped.set(x.name, r.shape);
    r.shape.forEach((d, i) => {
      if (!dimEquals(d, out[i])) changedBy[i].push(x);
    });
  }
  const shape = out.map((d, i) => {
    const by = changedBy[i];
    if (by.length === 0) return d;
    const x = by[0];
    return by.length === 1 && d === args[x.name] && bumped.get(x.name)![i] === (d as number) + 1 ? x.name : '?';
  });
  return { fits: true, shape };
}

function run(spec: LayerSpec, current: CurrentTensor, given: ResolvedArgs): { ok: true; shape: Shape } | { ok: false; code: string; message: string } {
  const bound = checkArgs(spec.name, spec.args, given);
  if ('issue' in bound) return bound.issue.ok ? { ok: false, code: 'bad-argument', message: 'no defaults' } : { ok: false, code: bound.issue.issue.code, message: bound.issue.issue.message };
  const r = spec.infer([{ name: 'the current tensor', shape: current.shape, dtype: current.dtype }], bound.args);
  return r.ok ? { ok: true, shape: r.shape } : { ok: false, code: r.issue.code, message: r.issue.message };
}

function reasonOf(code: string, spec: LayerSpec): string {
  if (code === 'rank-mismatch') return `needs ${spec.inputDoc}`;
  if (code === 'dtype-mismatch') return spec.name === 'Embedding' ? 'needs int ids' : 'needs a float input';
  if (code === 'empty-dimension') return 'input too small';
  if (code === 'symbolic-size') return 'needs known sizes';
  return code;
}

export function layerItems(current: CurrentTensor | null = null): CompletionData[] {
  const out: CompletionData[] = [];
  for (const spec of allLayers()) {
    out.push(layerItem(spec.name, spec, current));
    for (const alias of spec.aliases ?? []) out.push(layerItem(alias, spec, current));
  }
  return out;
}

function inDecl(t: CurrentTensor | null, decl: Decl): CurrentTensor | null {
  return t && decl.kind === 'Block' ? { ...t, inBlock: true } : t;
}

/** The current tensor at a statement start `pos` inside `decl` (spec §3), when known. */
export function currentTensorAt(checked: CheckedFile, decl: Decl, pos: number): CurrentTensor | null {
  if (decl.kind !== 'Model' && decl.kind !== 'Block') return null;
  const byStart = new Map<number, CurrentTensor | null>();
  for (const s of checked.statements) {
    if (s.span.start < decl.span.start || s.span.end > decl.span.end) continue;
    byStart.set(s.span.start, s.shape ? { shape: s.shape, dtype: s.dtype } : null);
  }
  const scan = (body: readonly Stmt[], start: CurrentTensor | null | undefined): CurrentTensor | null | undefined => {
    let current = start;
    for (const st of body) {
      if (st.span.start >= pos) break;
      if (st.kind === 'Repeat' && pos <= st.span.end) return scan(st.body, current);
      if (st.span.end > pos) break;
      if (st.kind === 'Input') {
        if (current === undefined) current = byStart.get(st.span.start) ?? null;
      } else if (st.kind === 'Output' && !st.binds) {
        continue;
      } else if (st.kind !== 'Repeat') {
        current = byStart.get(st.span.start) ?? null;
      }
    }
    return current;
  };
  return scan(decl.body, undefined) ?? null;
}

/** The tensor flowing into a `->` at token `arrow`: the call or tensor name before it. */
export function tensorBeforeArrow(checked: CheckedFile, tokens: readonly Token[], arrow: number): CurrentTensor | null {
  const j = significantBefore(tokens, tokens[arrow].start);
  if (j < 0) return null;
  const t = tokens[j];
  for (const c of checked.calls) {
    if (c.callSpan.end === t.end && c.outputShape) return { shape: c.outputShape, dtype: c.dtype };
  }
  if (t.kind !== 'ident') return null;
  for (const s of checked.symbols) {
    if (s.kind !== 'tensor' || !s.shape) continue;
    if (s.def.start === t.start || s.refs.some((r) => r.start === t.start)) return { shape: s.shape, dtype: s.dtype ?? 'float32' };
  }
  return null;
}

function blocks(checked: CheckedFile): BlockDecl[] {
  return checked.file.decls.filter((d): d is BlockDecl => d.kind === 'Block' && d.name !== null);
}

function blockItems(checked: CheckedFile, text: string): CompletionData[] {
  return blocks(checked).map((b) => {
    const name = b.name!.name;
    const required = b.params.filter((p) => !p.default).map((p) => p.name.name);
    return {
      label: name,
      kind: 'block' as const,
      detail: `block ${blockSignature(b, text).label}`,
      insertText: callSnippet(name, required),
      snippet: true,
      sortText: `0${name}`,
    };
  });
}

function modelItems(checked: CheckedFile): CompletionData[] {
  const names = new Set<string>();
  for (const d of checked.file.decls) if (d.kind === 'Model' && d.name) names.add(d.name.name);
  return [...names].map((n) => ({ label: n, kind: 'model' as const }));
}

/** Tensors visible at `pos`: defined earlier in the same declaration. */
function tensorItems(checked: CheckedFile, text: string, pos: number): CompletionData[] {
  const seen = new Map<string, CompletionData>();
  for (const s of checked.symbols) {
    if (s.kind !== 'tensor' || s.def.start >= pos || pos < s.scope.start || pos > s.scope.end) continue;
    // The name being bound on the cursor's own line is not yet a tensor there.
    if (!text.slice(s.def.end, pos).includes('\n')) continue;
    const shape = s.shape ? `[${['batch', ...s.shape].join(', ')}]` : undefined;
    seen.set(s.name, { label: s.name, kind: 'tensor', detail: shape });
  }
  return [...seen.values()];
}

/** Inside a layer or block call: argument names, or the values of the argument being written. */
function callItems(
  checked: CheckedFile,
  text: string,
  tokens: readonly Token[],
  call: EnclosingCall,
  prev: Token | null,
): CompletionData[] {
  const callee = tokens[call.callee].text;
  const spec = findLayer(callee);
  if (prev && prev.kind === 'punct' && prev.text === '=') {
    if (!spec || !call.currentKey) return [];
    const arg = spec.args.find((a) => a.name === call.currentKey);
    return arg ? valueItems(arg) : [];
  }
  if (!prev || (prev.text !== '(' && prev.text !== ',')) return [];
  const given = new Set(call.keywords);
  if (spec) {
    const items = spec.args.filter((a, i) => i >= call.positionalBefore && !given.has(a.name)).map((a, i) => argItem(a, i));
    // Where the next positional argument is a layer call (Bidirectional's), offer those layers first.
    const next = spec.args[call.positionalBefore];
    const layers = next?.type === 'layer' && !given.has(next.name) ? layerItems().filter((l) => next.values?.includes(l.label)) : [];
    return [...layers, ...items];
  }
  const block = findBlock(checked.file.decls, callee);
  if (!block) return [];
  return block.params
    .filter((p, i) => i >= call.positionalBefore && !given.has(p.name.name))
    .map((p, i) => ({
      label: p.name.name,
      kind: 'argument' as const,
      detail: p.default ? `${p.name.name}=${text.slice(p.default.span.start, p.default.span.end)}` : p.name.name,
      insertText: `${p.name.name}=`,
      sortText: String(i).padStart(3, '0'),
    }));
}

function argItem(arg: ArgSpec, order: number): CompletionData {
  const choices = arg.values && arg.values.length > 0 ? `\${1|${arg.values.join(',')}|}` : '$1';
  return {
    label: arg.name,
    kind: 'argument',
    detail: argLabel(arg),
    documentation: argDoc(arg),
    insertText: `${arg.name}=${choices}`,
    snippet: true,
    sortText: String(order).padStart(3, '0'),
  };
}

function valueItems(arg: ArgSpec): CompletionData[] {
  if (arg.values) {
    return arg.values.map((v, i) => ({
      label: v,
      kind: 'value' as const,
      detail: `${arg.name} value`,
      sortText: String(i).padStart(3, '0'),
    }));
  }
  if (arg.type === 'bool') return ['true', 'false'].map((v) => ({ label: v, kind: 'value' as const }));
  return [];
}

function vocabItems(entries: readonly (TrainWord & Partial<Pick<TrainFunction, 'snippet'>>)[], kind: CompletionData['kind']): CompletionData[] {
  return entries.map((e) => ({
    label: e.name,
    kind,
    documentation: e.doc,
    insertText: e.snippet ?? e.name,
    snippet: e.snippet !== undefined,
  }));
}

/** Inside `train M { ... }`: setting names at a line start, then each setting's values. */
function trainItems(checked: CheckedFile, tokens: readonly Token[], decl: TrainDecl, prevI: number, pos: number): CompletionData[] {
  const call = enclosingCall(tokens, pos);
  const prev = prevI >= 0 ? tokens[prevI] : null;
  if (prev && prev.kind === 'punct' && (prev.text === '{' || prev.text === ',') && insideDict(tokens, decl, prevI)) {
    // Keys of `loss = {out_a: ...}` and `loss_weights = {...}` are the model's outputs.
    const model = checked.models.find((m) => m.name === decl.model?.name);
    return (model?.outputs ?? []).map((o) => ({ label: o.name, kind: 'tensor' as const, insertText: `${o.name}: ` }));
  }
  if (call && prev && (prev.text === '(' || prev.text === ',')) {
    const fn = trainFunction(tokens[call.callee].text);
    const given = new Set(call.keywords);
    return (fn ? namedArgs(fn) : [])
      .filter((a) => !given.has(a))
      .map((a) => ({ label: a, kind: 'argument' as const, insertText: `${a}=` }));
  }
  if (atStatementStart(tokens, prevI, pos)) {
    const given = new Set(decl.settings.map((s) => s.name.name));
    return SETTINGS.filter((s) => !given.has(s.name)).map((s) => ({
      label: s.name,
      kind: 'setting' as const,
      documentation: s.doc,
      insertText: `${s.name} = `,
    }));
  }
  let setting: string | null = null;
  for (const s of decl.settings) if (s.span.start <= pos) setting = s.name.name;
  if (!setting) return [];
  const values = settingValues(setting);
  return vocabItems(values.entries, values.kind === 'word' ? 'value' : 'function');
}

/** True when token `i` sits inside a `{...}` of a setting value (not the train block's own brace). */
function insideDict(tokens: readonly Token[], decl: TrainDecl, i: number): boolean {
  let depth = 0;
  for (let j = i; j >= 0 && tokens[j].start >= decl.span.start; j--) {
    const t = tokens[j];
    if (t.kind !== 'punct') continue;
    if (t.text === '}') depth++;
    else if (t.text === '{') {
      if (depth > 0) depth--;
      else return j !== openBrace(tokens, decl);
    }
  }
  return false;
}

function openBrace(tokens: readonly Token[], decl: TrainDecl): number {
  for (let j = tokenIndexAt(tokens, decl.span.start); j >= 0 && j < tokens.length; j++) {
    if (tokens[j].kind === 'punct' && tokens[j].text === '{') return j;
  }
  return -1;
}
