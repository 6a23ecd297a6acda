// Hover (spec §7): what a name means at a glance. On a layer or block call: the signature,
// input → output shapes, parameter count and FLOPs per sample; on a tensor: its shape and
// dtype; on a model: a layer table with totals; on a block parameter or size: what it is
// bound to. The identifier is found by binary search over the tokens and looked up in
// sorted tables built once per checked file, so a hover costs the same on any file size.

import { findLayer } from '../../../engine/catalog/index';
import { findSetting, settingValues, type TrainWord } from '../../../engine/catalog/train/index';
import { formatShape } from '../../../engine/catalog/shape';
import type { LayerSpec } from '../../../engine/catalog/types';
import type { CallInfo, CheckedFile, ModelSummary, SymbolInfo } from '../sema/checked';
import type { BlockDecl, Span, TrainDecl } from '../syntax/ast';
import { callAt, findBlock } from './ast_find';
import { argDoc, blockSignature, exprText, formatCount, formatFlops, layerSignature } from './describe';
import { declAt, enclosingCall, fileIndex, significantAfter, tokenIndexAt, wordTokenAt } from './locate';
import type { HoverData } from './types';

/** The hover for the identifier at `offset`, or null when there is nothing to say. */
export function hover(checked: CheckedFile, text: string, offset: number): HoverData | null {
  try {
    return hoverUnsafe(checked, text, offset);
  } catch {
    return null;
  }
}

function hoverUnsafe(checked: CheckedFile, text: string, offset: number): HoverData | null {
  const tokens = checked.file.tokens;
  const tok = wordTokenAt(tokens, offset);
  if (!tok || tok.kind !== 'ident') return null;
  const span: Span = { start: tok.start, end: tok.end };
  const index = fileIndex(checked);
  const calls = index.callsStartingAt(tok.start);
  if (calls.length > 0) return { span, markdown: callHover(checked, text, calls) };
  const hit = index.symbolStartingAt(tok.start);
  if (hit) {
    const md = symbolHover(checked, text, hit.symbol);
    return md ? { span, markdown: md } : null;
  }
  const argMd = argumentHover(checked, tok.text, tokenIndexAt(tokens, tok.start));
  if (argMd) return { span, markdown: argMd };
  const spec = findLayer(tok.text);
  if (spec) return { span, markdown: layerDoc(spec) };
  const decl = declAt(checked.file.decls, tok.start);
  if (decl && decl.kind === 'Train') {
    const setting = decl.settings.find((s) => s.name.span.start === tok.start);
    const entry = setting ? findSetting(tok.text) : trainValueDoc(decl, tok.start, tok.text);
    if (entry) return { span, markdown: `${code(entry.name)}\n\n${entry.doc}` };
  }
  return null;
}

/** The vocabulary entry of a value inside a train setting (`adam`, `cross_entropy`, ...). */
function trainValueDoc(decl: TrainDecl, offset: number, name: string): TrainWord | undefined {
  let setting: string | null = null;
  for (const s of decl.settings) if (s.span.start <= offset && offset <= s.span.end) setting = s.name.name;
  return setting ? settingValues(setting).entries.find((e) => e.name === name) : undefined;
}

function code(s: string): string {
  return '```netspec\n' + s + '\n```';
}

function layerDoc(spec: LayerSpec): string {
  return [
    code(layerSignature(spec).label),
    `Input \`${spec.inputDoc}\` → output \`${spec.outputDoc}\`; params \`${spec.paramsDoc}\`.`,
    spec.summary,
  ].join('\n\n');
}

function shapesLine(call: CallInfo): string {
  const ins = call.inputShapes.map((s) => formatShape(s)).join(', ');
  const insText = call.inputShapes.length > 1 ? `(${ins})` : ins;
  return `\`${insText}\` → \`${formatShape(call.outputShape)}\``;
}

function costLine(call: CallInfo): string {
  const flops = call.flops === null ? formatFlops(null) : `${formatFlops(call.flops)} (${formatCount(call.flops)})`;
  return `Params: **${formatCount(call.params)}** (${formatCount(call.trainableParams)} trainable) · FLOPs per sample: **${flops}**`;
}

function callHover(checked: CheckedFile, text: string, calls: CallInfo[]): string {
  const first = calls[0];
  const parts: string[] = [];
  let doc = '';
  if (first.isBlock) {
    const block = findBlock(checked.file.decls, first.op);
    parts.push(code(block ? blockSignature(block, text).label : `${first.op}(...)`));
    doc = `Block \`${first.op}\` — totals over its layers.`;
  } else {
    const spec = findLayer(first.op);
    parts.push(code(spec ? layerSignature(spec).label : first.op));
    doc = spec ? spec.summary : '';
  }
  // A call inside a block is checked once per use; show each use (at most three).
  for (const call of calls.slice(0, 3)) {
    const via = call.viaModel ? ` *(in model ${call.viaModel})*` : '';
    parts.push(`${shapesLine(call)}${via}\n\n${costLine(call)}`);
  }
  if (calls.length > 3) parts.push(`…and ${calls.length - 3} more uses.`);
  if (doc) parts.push(doc);
  return parts.join('\n\n');
}

function symbolHover(checked: CheckedFile, text: string, sym: SymbolInfo): string | null {
  switch (sym.kind) {
    case 'tensor':
      return `${code(`${sym.name}: ${formatShape(sym.shape ?? null)} ${sym.dtype ?? 'float32'}`)}\n\nTensor \`${sym.name}\`.`;
    case 'model': {
      const m = checked.models.find((x) => x.name === sym.name);
      return m ? modelHover(m) : code(`model ${sym.name}`);
    }
    case 'block':
      return blockHover(checked, text, sym);
    case 'param':
      return paramHover(checked, text, sym);
    case 'size':
      return `${code(`size ${sym.name}`)}\n\nA symbolic size: one identifier is one size throughout its model` +
        (sym.shape ? `; here \`${formatShape(sym.shape, false)}\`.` : '.');
  }
  return null;
}

/** The layer table of a model with its totals. */
export function modelHover(m: ModelSummary): string {
  const rows = m.layers.map(
    (l) => `| ${l.op} (line ${l.line + 1}) | \`${formatShape(l.outputShape)}\` | ${formatCount(l.params)} |`,
  );
  const ins = m.inputs.map((i) => `\`${i.name}\` ${formatShape(i.shape)}${i.dtype === 'int32' ? ' int' : ''}`).join(', ');
  const outs = m.outputs.map((o) => `\`${o.name}\` ${formatShape(o.shape)}`).join(', ');
  return [
    code(`model ${m.name}`),
    `Inputs: ${ins || 'none'} · Outputs: ${outs || 'none'}`,
    ['| layer | output shape | params |', '|---|---|---|', ...rows].join('\n'),
    `Total params: **${formatCount(m.params)}** (${formatCount(m.trainableParams)} trainable) · FLOPs per sample: **${formatFlops(m.flops)}**` +
      (m.ir ? '' : '\n\n*The model has errors; it cannot be trained yet.*'),
  ].join('\n\n');
}

function blockDeclOf(checked: CheckedFile, sym: SymbolInfo): BlockDecl | null {
  const d = declAt(checked.file.decls, sym.def.start);
  return d && d.kind === 'Block' ? d : null;
}

function blockHover(checked: CheckedFile, text: string, sym: SymbolInfo): string {
  const block = blockDeclOf(checked, sym);
  const sig = block ? blockSignature(block, text).label : `${sym.name}(...)`;
  const uses = sym.refs.length;
  return `${code(`block ${sig}`)}\n\nUsed ${uses} time${uses === 1 ? '' : 's'} in this file.`;
}

/** A block parameter: its default and the value each call binds. */
function paramHover(checked: CheckedFile, text: string, sym: SymbolInfo): string {
  const block = blockDeclOf(checked, sym);
  const lines: string[] = [code(`param ${sym.name}`)];
  if (!block || !block.name) return lines.join('\n\n');
  const pos = block.params.findIndex((p) => p.name.name === sym.name);
  const param = block.params[pos];
  lines.push(
    `Parameter of block \`${block.name.name}\`` +
      (param?.default ? `, default \`${exprText(param.default, text)}\`.` : ' (required).'),
  );
  const blockSym = fileIndex(checked).symbolStartingAt(block.name.span.start)?.symbol;
  const bindings: string[] = [];
  for (const ref of blockSym?.refs ?? []) {
    const decl = declAt(checked.file.decls, ref.start);
    const call = decl ? callAt(decl, ref.start) : null;
    if (!call) continue;
    const named = call.args.find((a) => a.name?.name === sym.name);
    const positional = call.args.filter((a) => !a.name)[pos];
    const arg = named ?? (pos >= 0 ? positional : undefined);
    const value = arg ? exprText(arg.value, text) : param?.default ? `${exprText(param.default, text)} (default)` : 'missing';
    const line = text.slice(0, ref.start).split('\n').length;
    bindings.push(`- line ${line}: \`${sym.name} = ${value}\``);
  }
  if (bindings.length > 0) lines.push(`Bound at each call:\n${bindings.join('\n')}`);
  return lines.join('\n\n');
}

/** Hover on an argument name inside a call (`padding=`): the argument's documentation. */
function argumentHover(checked: CheckedFile, name: string, tokIndex: number): string | null {
  const tokens = checked.file.tokens;
  const next = significantAfter(tokens, tokIndex);
  if (next < 0 || tokens[next].text !== '=') return null;
  const call = enclosingCall(tokens, tokens[tokIndex].start);
  if (!call) return null;
  const spec = findLayer(tokens[call.callee].text);
  const arg = spec?.args.find((a) => a.name === name);
  return arg ? argDoc(arg) : null;
}
