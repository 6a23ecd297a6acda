// The Show Model Summary command's document: the `netspec/summary` answer (spec §7's JSON
// form of every model in the file) as a markdown page with one table per model, in the
// Keras `model.summary()` layout (layer, output shape, params). Plain code, tested alone.

/** One model of the `netspec/summary` answer (server/src/ide/summary.ts `ModelJson`). */
export interface SummaryModel {
  name: string;
  params: number;
  trainableParams: number;
  inputs: { name: string; shape: (number | string)[] | null }[];
  outputs: { name: string; shape: (number | string)[] | null }[];
  layers: { line: number; op: string; outputShape: (number | string)[] | null; params: number }[];
}

function shape(s: (number | string)[] | null): string {
  return s === null ? '?' : `[${s.join(', ')}]`;
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Escapes the characters that would break a markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The markdown page for `fileName`'s models; a file without models says so. */
export function summaryMarkdown(fileName: string, models: readonly SummaryModel[]): string {
  const out = [`# Model summary: ${cell(fileName)}`, ''];
  if (models.length === 0) out.push('This file defines no model.');
  for (const m of models) {
    out.push(`## ${cell(m.name)}`, '');
    const ins = m.inputs.map((i) => `${cell(i.name)} ${shape(i.shape)}`).join(', ') || 'none';
    const outs = m.outputs.map((o) => `${cell(o.name)} ${shape(o.shape)}`).join(', ') || 'none';
    out.push(`Inputs: ${ins}  `, `Outputs: ${outs}`, '');
    out.push('| Line | Layer | Output shape | Params |', '|---:|---|---|---:|');
    for (const l of m.layers) out.push(`| ${l.line + 1} | ${cell(l.op)} | ${shape(l.outputShape)} | ${count(l.params)} |`);
    const frozen = m.params - m.trainableParams;
    out.push('', `Total params: ${count(m.params)} (trainable ${count(m.trainableParams)}${frozen > 0 ? `, non-trainable ${count(frozen)}` : ''})`, '');
  }
  return out.join('\n');
}
