// Checks a `train` block (spec §5): known settings with values of the right kind, the loss
// against the model's outputs (`loss-mismatch`, with the insert-flatten fix where a Dense
// kept extra axes), and the data against the model's input and output (data_check.ts).

import { formatShape } from '../../../../engine/catalog/shape';
import { rangeText, suggestName } from '../../../../engine/catalog/index';
import {
  DEFAULT_LOSS,
  isClassLoss,
  isClassMetric,
  LOSSES,
  METRICS,
  namesOf,
  settingNames,
  SOURCES,
  findSetting,
  type FunctionFamily,
  type TrainSetting,
} from '../../../../engine/catalog/train/index';
import type { Expr, Setting, Span, TrainDecl } from '../../syntax/ast';
import { matchArgs, resolveLayerArgs } from '../model/args';
import type { DeclResult, DiagnosticSink, ModelFacts, OutputFacts } from '../context';
import { DiagnosticSink as Sink } from '../context';
import { checkData, checkSourceShape, type DataOptions } from './data_check';
import { describe, lossesByOutput } from './train_values';

const NO_ENV = { lookup: () => undefined };
// Read from the catalog on every use (never cached), so the names are the catalog's as it stands.
const lossNames = (): readonly string[] => namesOf(LOSSES);
const metricNames = (): readonly string[] => namesOf(METRICS);

export function checkTrain(decl: TrainDecl, models: ReadonlyMap<string, ModelFacts>, data: DataOptions): DeclResult {
  const sink = new Sink();
  const declRefs: { name: string; span: Span }[] = [];
  let facts: ModelFacts | undefined;
  if (decl.model) {
    declRefs.push({ name: decl.model.name, span: decl.model.span });
    facts = models.get(decl.model.name);
    if (!facts) {
      const hint = suggestName(decl.model.name, models.keys());
      sink.add('unknown-name', decl.model.span, `no model named \`${decl.model.name}\`${hint ? `; did you mean \`${hint}\`?` : ''}`, [], hint ? { kind: 'replace-name', replacement: hint } : undefined);
    }
  }
  const seen = new Map<string, Setting>();
  for (const s of decl.settings) {
    const name = s.name.name;
    if (!settingNames().includes(name)) {
      const hint = suggestName(name, settingNames());
      sink.add('unknown-argument', s.name.span, `train has no setting \`${name}\`${hint ? `; did you mean \`${hint}\`?` : `; the settings are ${settingNames().join(', ')}`}`, [], hint ? { kind: 'replace-name', replacement: hint } : undefined);
      continue;
    }
    const first = seen.get(name);
    if (first) {
      sink.add('duplicate-name', s.name.span, `the setting \`${name}\` is already given`, [{ span: first.name.span, message: `\`${name}\` is first given here` }]);
      continue;
    }
    seen.set(name, s);
    if (s.value && s.value.kind !== 'Error') checkSetting(s, s.value, sink, facts);
  }
  // Settings checked against each other and the model, found by their kind of value.
  const byKind = (kind: TrainSetting['kind']): Expr | null => [...seen.values()].find((s) => findSetting(s.name.name)?.kind === kind)?.value ?? null;
  const loss = byKind('loss');
  if (facts && !facts.hasErrors && loss) checkLoss(loss, facts, sink, byKind('loss-weights'));
  const metrics = byKind('metrics');
  if (facts && !facts.hasErrors && metrics) checkMetricOutputs(metrics, facts, sink, loss);
  const source = byKind('source');
  if (source) checkData(source, facts, loss, sink, data);
  const validation = byKind('validation');
  if (validation?.kind === 'Call') checkData(validation, facts, loss, sink, data);
  return { diagnostics: sink.list, statements: [], calls: [], symbols: [], refs: [], declRefs, model: null, facts: null };
}

function bad(sink: DiagnosticSink, span: Span, message: string): void {
  sink.add('bad-argument', span, message);
}

function checkSetting(s: Setting, v: Expr, sink: DiagnosticSink, facts: ModelFacts | undefined): void {
  const name = s.name.name;
  const setting = findSetting(name);
  switch (setting?.kind) {
    case 'source':
      if (v.kind !== 'Call') bad(sink, v.span, `data must be a data source: ${sourceCalls()}`);
      else checkSourceShape(v, sink);
      return;
    case 'validation':
      if (v.kind === 'Call') checkSourceShape(v, sink);
      else if (v.kind !== 'Number' || v.value < 0 || v.value >= 1) {
        bad(sink, v.span, `validation must be a fraction from 0 up to but not including 1, or a data source, but is ${describe(v)}`);
      }
      return;
    case 'loss':
      if (v.kind === 'Ident') {
        if (!lossNames().includes(v.name)) badWord(sink, v.span, v.name, 'loss', lossNames());
      } else if (v.kind === 'Dict') {
        for (const e of v.entries) {
          if (e.value?.kind === 'Ident' && !lossNames().includes(e.value.name)) badWord(sink, e.value.span, e.value.name, 'loss', lossNames());
          else if (e.value && e.value.kind !== 'Ident') bad(sink, e.value.span, `a loss must be one of ${lossNames().join(', ')}, but is ${describe(e.value)}`);
        }
      } else bad(sink, v.span, `loss must be one of ${lossNames().join(', ')} or a dict {output: loss}, but is ${describe(v)}`);
      return;
    case 'loss-weights':
      if (v.kind !== 'Dict') bad(sink, v.span, `loss_weights must be a dict {output: weight}, but is ${describe(v)}`);
      else
        for (const e of v.entries) {
          if (!e.value || e.value.kind !== 'Number' || e.value.value < 0) bad(sink, e.value?.span ?? e.span, `a loss weight must be a number of at least 0, but is ${e.value ? describe(e.value) : 'missing'}`);
          if (facts && !facts.outputs.some((o) => o.name === e.key.name)) unknownOutput(sink, e.key.name, e.key.span, facts);
        }
      return;
    case 'function':
      return checkFunction(v, setting.family, sink);
    case 'int': {
      const spec = setting.value;
      const ok = v.kind === 'Number' && v.isInt && (spec.min === undefined || v.value >= spec.min);
      if (!ok) bad(sink, v.span, `${name} must be an integer of ${rangeText(spec)}, but is ${describe(v)}`);
      return;
    }
    case 'metrics': {
      if (v.kind === 'Dict') {
        for (const e of v.entries) if (e.value) checkMetricList(e.value, sink, `the metrics of ${e.key.name} must be a list such as [accuracy]`);
        return;
      }
      return checkMetricList(v, sink, 'metrics must be a list such as [accuracy] or a dict {output: [metric, ...]}');
    }
  }
}

/** "csv(...), json(...), npy(...), idx(...) or images(...)". */
function sourceCalls(): string {
  const calls = SOURCES.map((e) => `${e.name}(...)`);
  return `${calls.slice(0, -1).join(', ')} or ${calls[calls.length - 1]}`;
}

/** A metric list `[accuracy, mae]` (or one bare metric): every item a known metric name. */
function checkMetricList(v: Expr, sink: DiagnosticSink, expected: string): void {
  const items = v.kind === 'List' ? v.items : v.kind === 'Ident' ? [v] : null;
  if (!items) return bad(sink, v.span, `${expected}, but is ${describe(v)}`);
  for (const m of items) {
    if (m.kind !== 'Ident') bad(sink, m.span, `a metric must be one of ${metricNames().join(', ')}, but is ${describe(m)}`);
    else if (!metricNames().includes(m.name)) badWord(sink, m.span, m.name, 'metric', metricNames());
  }
}

function metricItems(v: Expr): (Expr & { kind: 'Ident' })[] {
  const items = v.kind === 'List' ? v.items : [v];
  return items.filter((m): m is Expr & { kind: 'Ident' } => m.kind === 'Ident' && metricNames().includes(m.name));
}

/**
 * Which outputs the metrics reach (Keras semantics): a list applies classification metrics
 * to class outputs only, so one that reaches no output is a warning; a dict names outputs,
 * whose keys must exist and whose classification metrics need a class output.
 */
function checkMetricOutputs(v: Expr, facts: ModelFacts, sink: DiagnosticSink, loss: Expr | null): void {
  const losses = loss ? lossesByOutput(loss, facts) : new Map<string, string>();
  const lossText = (o: string) => losses.get(o) ?? DEFAULT_LOSS;
  // A misspelled loss is reported on its own; what the metrics reach is unknown then.
  if ([...losses.values()].some((l) => !lossNames().includes(l))) return;
  if (v.kind === 'Dict') {
    for (const e of v.entries) {
      const output = facts.outputs.find((o) => o.name === e.key.name);
      if (!output) {
        const names = facts.outputs.map((o) => o.name);
        const hint = suggestName(e.key.name, names);
        sink.add('unknown-name', e.key.span, `model ${facts.name} has no output \`${e.key.name}\`; its outputs are ${names.join(', ')}${hint ? `; did you mean \`${hint}\`?` : ''}`, [], hint ? { kind: 'replace-name', replacement: hint } : undefined);
        continue;
      }
      if (!e.value || isClassLoss(losses.get(output.name))) continue;
      for (const m of metricItems(e.value)) {
        if (isClassMetric(m.name)) {
          sink.add('bad-argument', m.span, `${m.name} is a classification metric, but the output \`${output.name}\` is trained with ${lossText(output.name)}; use mae or mse for a regression output`, [{ span: output.def, message: `${output.name} is defined here` }]);
        }
      }
    }
    return;
  }
  if (facts.outputs.some((o) => isClassLoss(losses.get(o.name)))) return;
  for (const m of metricItems(v)) {
    if (!isClassMetric(m.name)) continue;
    const what = facts.outputs.length === 1 ? `its output is trained with ${lossText(facts.outputs[0].name)}` : 'none of its outputs is trained with cross_entropy or binary_cross_entropy';
    sink.add('bad-argument', m.span, `${m.name} applies to class outputs only, and ${what}, so it is not computed; use mae or mse`, [], undefined, 'warning');
  }
}

function badWord(sink: DiagnosticSink, span: Span, word: string, what: string, known: readonly string[]): void {
  const hint = suggestName(word, known);
  sink.add('bad-argument', span, `a ${what} must be one of ${known.join(', ')}, but is ${word}${hint ? `; did you mean \`${hint}\`?` : ''}`, [], hint ? { kind: 'replace-name', replacement: hint } : undefined);
}

function unknownOutput(sink: DiagnosticSink, name: string, span: Span, facts: ModelFacts): void {
  const names = facts.outputs.map((o) => o.name);
  const hint = suggestName(name, names);
  sink.add('loss-mismatch', span, `model ${facts.name} has no output \`${name}\`; its outputs are ${names.join(', ')}`, [], hint ? { kind: 'replace-name', replacement: hint } : undefined);
}

function checkFunction(v: Expr, family: FunctionFamily, sink: DiagnosticSink): void {
  const callee = v.kind === 'Call' ? v.callee : v.kind === 'Ident' ? v : null;
  const names = namesOf(family.entries);
  if (!callee) return bad(sink, v.span, `${family.what} must be one of ${names.join(', ')}, e.g. ${family.example}, but is ${describe(v)}`);
  const specs = family.entries.find((e) => e.name === callee.name)?.args;
  if (!specs) return badWord(sink, callee.span, callee.name, family.what, names);
  if (v.kind !== 'Call') {
    if (specs.some((s) => s.required)) sink.add('missing-argument', v.span, `${callee.name} needs its argument${specs.length > 1 ? 's' : ''}: ${callee.name}(${specs.map((s) => s.name).join(', ')})`);
    return;
  }
  const bound = matchArgs(v, callee.name, specs, NO_ENV, sink, []);
  resolveLayerArgs(callee.name, specs, bound, v.span, sink, []);
}

function checkLoss(v: Expr, facts: ModelFacts, sink: DiagnosticSink, weights: Expr | null): void {
  void weights;
  if (v.kind === 'Dict') {
    for (const e of v.entries) if (!facts.outputs.some((o) => o.name === e.key.name)) unknownOutput(sink, e.key.name, e.key.span, facts);
    const missing = facts.outputs.filter((o) => !v.entries.some((e) => e.key.name === o.name));
    if (missing.length) sink.add('loss-mismatch', v.span, `the loss dict must give a loss for every output of ${facts.name}, but ${missing.map((o) => o.name).join(', ')} ${missing.length > 1 ? 'have' : 'has'} none`);
    for (const e of v.entries) {
      const o = facts.outputs.find((x) => x.name === e.key.name);
      if (o && e.value?.kind === 'Ident') lossFits(e.value.name, o, e.value.span, sink);
    }
  } else if (v.kind === 'Ident') {
    for (const o of facts.outputs) lossFits(v.name, o, v.span, sink);
  }
}

function lossFits(loss: string, o: OutputFacts, span: Span, sink: DiagnosticSink): void {
  const shape = o.shape;
  if (!shape) return;
  const related = [{ span: o.def, message: `${o.name} is ${formatShape(shape)} here` }];
  const last = shape[shape.length - 1];
  if (loss === 'cross_entropy') {
    if (shape.length !== 1) {
      const fix = o.denseOverRank2 ? { kind: 'insert-flatten' as const, before: o.denseOverRank2 } : undefined;
      const rel = o.denseOverRank2 ? [...related, { span: o.denseOverRank2, message: 'this Dense keeps the leading axes; insert Flatten() before it' }] : related;
      sink.add('loss-mismatch', span, `cross_entropy expects the output \`${o.name}\` to be [batch, classes], but it is ${formatShape(shape)}`, rel, fix);
    } else if (typeof last === 'number' && last < 2) {
      sink.add('loss-mismatch', span, `cross_entropy expects the output \`${o.name}\` to be [batch, classes] with at least 2 classes, but it is ${formatShape(shape)}; use binary_cross_entropy for one unit`, related);
    }
  } else if (loss === 'binary_cross_entropy') {
    if (last !== 1 && o.activation !== 'sigmoid') {
      sink.add('loss-mismatch', span, `binary_cross_entropy expects the output \`${o.name}\` to end in one unit [batch, 1] (or a sigmoid), but it is ${formatShape(shape)}; use cross_entropy for several classes`, related);
    }
  }
}
