// The train catalog (engine/catalog/train/) is the one description of a train block's
// vocabulary. Two checks keep it that way: an entry added to the catalog reaches every
// reader (the checker, lowering, hover, completion, semantic tokens, the memory estimate)
// with no other file touched; and no file outside the catalog writes a train argument's
// default next to its name again, as the copies this catalog replaced did.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  LOSSES,
  METRICS,
  OPTIMIZERS,
  SCHEDULES,
  SETTINGS,
  SOURCES,
  type LossEntry,
  type MetricEntry,
  type OptimizerEntry,
  type TrainFunction,
  type TrainSetting,
} from '../../../engine/catalog/train/index';
import { allLayers } from '../../../engine/catalog/index';
import type { ModelIR } from '../../../engine/catalog/ir';
import { estimateTrainingMemory } from '../../../engine/src/train/memory_estimate';
import { checkText } from '../../../server/src/sema/check';
import { lowerTrain } from '../../../server/src/sema/train/lower';
import { complete } from '../../../server/src/ide/completion';
import { hover } from '../../../server/src/ide/hover';
import { SEMANTIC_TOKEN_TYPES, semanticTokens } from '../../../server/src/ide/semantic_tokens';
import type { TrainDecl } from '../../../server/src/syntax/ast';

const ADAGRAD: OptimizerEntry = {
  name: 'adagrad',
  doc: 'adagrad(lr, initial_accumulator=0.1)',
  snippet: 'adagrad(lr=${1:0.01})',
  args: [
    { name: 'lr', type: 'float', required: false, default: 0.01, min: 0, minExclusive: true, doc: 'The learning rate.' },
    { name: 'initial_accumulator', type: 'float', required: false, default: 0.1, min: 0, doc: 'The starting sum of squared gradients.' },
  ],
  slots: () => 1,
};
const HUBER: LossEntry = { name: 'huber', doc: 'Huber loss (regression).', reads: 'regression' };
const AUC: MetricEntry = { name: 'auc', doc: 'Area under the ROC curve.', classOnly: true };
const LINEAR: TrainFunction = {
  name: 'linear',
  doc: 'linear(decay_steps): from lr down to 0 in a straight line.',
  args: [{ name: 'decay_steps', type: 'int', required: true, min: 1, doc: 'Optimizer steps to reach 0.' }],
};
const PARQUET: TrainFunction = {
  name: 'parquet',
  doc: 'parquet(path, target=COL): a Parquet file.',
  args: [
    { name: 'path', type: 'string', required: true, doc: 'The Parquet file.', file: true, positional: true } as TrainFunction['args'][number],
    { name: 'target', type: 'string', required: false, doc: 'The target column.', columns: true } as TrainFunction['args'][number],
  ],
};
const WARMUP: TrainSetting = {
  name: 'warmup_epochs',
  kind: 'int',
  field: 'earlyStopping',
  value: { name: 'warmup_epochs', type: 'int', required: false, min: 2, doc: 'Epochs at a rising rate.' },
  doc: 'Epochs at a rising learning rate before the schedule starts.',
};

// The catalog's tables are `as const` for their name types; at run time they are arrays.
const additions: [unknown[], unknown][] = [
  [OPTIMIZERS as unknown as unknown[], ADAGRAD],
  [LOSSES as unknown as unknown[], HUBER],
  [METRICS as unknown as unknown[], AUC],
  [SCHEDULES as unknown as unknown[], LINEAR],
  [SOURCES as unknown as unknown[], PARQUET],
  [SETTINGS as unknown as unknown[], WARMUP],
];
before(() => {
  for (const [table, entry] of additions) table.push(entry);
});
after(() => {
  for (const [table, entry] of additions) table.splice(table.indexOf(entry), 1);
});

const HEAD = 'model A {\n  input x: [4]\n  Dense(3)\n}\n';
const PATH = '/tmp/netspec-train-catalog/a.netspec';
const check = (text: string) => checkText(text, { path: PATH });
const trainDecl = (text: string) => check(text).file.decls.find((d): d is TrainDecl => d.kind === 'Train')!;
const labels = (text: string, at: string, delta = at.length) => complete(check(text), text, text.indexOf(at) + delta).map((c) => c.label);

test('an optimizer added to the catalog is checked, lowered, hovered, completed and estimated', () => {
  const src = HEAD + 'train A {\n  optimizer = adagrad(lr=0.05)\n}\n';
  assert.deepEqual(check(src).diagnostics, []);
  assert.deepEqual(lowerTrain(trainDecl(src), { path: PATH }).optimizer, { name: 'adagrad', args: { lr: 0.05, initial_accumulator: 0.1 } });
  const bad = check(HEAD + 'train A {\n  optimizer = adagrad(initial_accumulator=-1)\n}\n').diagnostics;
  assert.deepEqual(bad.map((d) => d.code), ['bad-argument']);
  assert.match(bad[0].message, /initial_accumulator/);
  assert.match(hover(check(src), src, src.indexOf('adagrad') + 2)!.markdown, /adagrad\(lr, initial_accumulator=0\.1\)/);
  const offered = complete(check(HEAD + 'train A {\n  optimizer = \n}\n'), HEAD + 'train A {\n  optimizer = \n}\n', HEAD.length + 'train A {\n  optimizer = '.length);
  assert.equal(offered.find((c) => c.label === 'adagrad')?.insertText, 'adagrad(lr=${1:0.01})');
  assert.deepEqual(labels(HEAD + 'train A {\n  optimizer = adagrad(lr=0.1, )\n}\n', 'adagrad(lr=0.1, '), ['initial_accumulator']);
  const ir: ModelIR = { version: 1, name: 'A', inputs: [], nodes: [{ id: 'd', op: 'Dense', args: {}, inputs: [], shape: [3], dtype: 'float32', weights: [{ name: 'kernel', shape: [4, 3], trainable: true, init: 'zeros', regularized: true }] }], outputs: [], params: 12, trainableParams: 12 } as unknown as ModelIR;
  const train = lowerTrain(trainDecl(src), { path: PATH });
  assert.equal(estimateTrainingMemory(ir, train).optimizer, 12 * 4, 'one slot per weight, from the entry');
});

test('a loss and a metric added to the catalog are accepted, hovered, completed and coloured', () => {
  const src = HEAD + 'train A {\n  loss = huber\n  metrics = [auc]\n}\n';
  const diagnostics = check(src).diagnostics;
  // auc is a classification metric on a regression output: the catalog's classOnly says so.
  assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [['bad-argument', 'warning']]);
  assert.match(diagnostics[0].message, /auc applies to class outputs only.*trained with huber/);
  assert.match(hover(check(src), src, src.indexOf('huber') + 1)!.markdown, /Huber loss/);
  assert.ok(labels(HEAD + 'train A {\n  loss = \n}\n', 'loss = ').includes('huber'));
  assert.ok(labels(HEAD + 'train A {\n  metrics = []\n}\n', 'metrics = [').includes('auc'));
  assert.ok(labels(HEAD + 'train A {\n  \n}\n', 'train A {\n  ').includes('loss'));
  const doc = complete(check(HEAD + 'train A {\n  \n}\n'), HEAD + 'train A {\n  \n}\n', HEAD.length + 'train A {\n  '.length).find((c) => c.label === 'loss')!.documentation;
  assert.match(doc!, /\| huber, or/, 'the loss setting\'s doc lists the catalog\'s losses');
  const tokens = semanticTokens(check(src));
  const at = (word: string) => SEMANTIC_TOKEN_TYPES[tokens.find((t) => t.start === src.indexOf(word))!.type];
  assert.equal(at('huber'), 'enumMember');
  assert.equal(at('auc'), 'enumMember');
});

test('a schedule and a data source added to the catalog are checked and lowered', () => {
  const src = HEAD + 'train A {\n  data = parquet("d.parquet", target="y")\n  schedule = linear(decay_steps=100)\n}\n';
  const diagnostics = check(src).diagnostics.filter((d) => d.code !== 'data-error');
  assert.deepEqual(diagnostics, []);
  const train = lowerTrain(trainDecl(src), { path: PATH });
  assert.deepEqual(train.data, { kind: 'parquet', path: '/tmp/netspec-train-catalog/d.parquet', target: 'y' });
  assert.deepEqual(train.schedule, { name: 'linear', args: { decay_steps: 100 } });
  const missing = check(HEAD + 'train A {\n  schedule = linear\n}\n').diagnostics;
  assert.deepEqual(missing.map((d) => d.code), ['missing-argument']);
});

test('a setting added to the catalog is accepted with its range, hovered and completed', () => {
  const src = HEAD + 'train A {\n  warmup_epochs = 3\n}\n';
  assert.deepEqual(check(src).diagnostics, []);
  const low = check(HEAD + 'train A {\n  warmup_epochs = 1\n}\n').diagnostics;
  assert.deepEqual(low.map((d) => d.message), ['warmup_epochs must be an integer of at least 2, but is 1']);
  assert.match(hover(check(src), src, src.indexOf('warmup_epochs') + 1)!.markdown, /rising learning rate/);
  assert.ok(labels(HEAD + 'train A {\n  \n}\n', 'train A {\n  ').includes('warmup_epochs'));
  const unknown = check(HEAD + 'train A {\n  zzz = 1\n}\n').diagnostics;
  assert.match(unknown[0].message, /the settings are .*schedule, warmup_epochs$/);
});

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const camel = (s: string) => s.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase());
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Same name and number, but not a train default: each with the reason. */
const NOT_TRAIN_DEFAULTS: [file: string, match: string][] = [
  // An example in the parser's "expected a setting" message (kept word for word).
  ['server/src/syntax/parser.ts', 'epochs = 10'],
  // `predict`'s own inference batch, a parameter every caller passes.
  ['engine/src/train/predict.ts', 'batchSize = 32'],
];

test('no file outside the catalog writes a train argument or setting default next to its name', () => {
  // Every (name, default) pair the catalog defines: optimizer and schedule arguments and the
  // defaulted settings (epochs, batch_size). Names that layers use too (alpha, momentum) are
  // the layers' business and left out.
  const layerArgs = new Set(allLayers().flatMap((l) => l.args.map((a) => a.name)));
  const pairs: [string, string][] = [];
  for (const table of [OPTIMIZERS, SCHEDULES] as readonly (readonly TrainFunction[])[]) {
    for (const fn of table) for (const a of fn.args) if (typeof a.default === 'number' && !layerArgs.has(a.name)) pairs.push([a.name, String(a.default)]);
  }
  for (const s of SETTINGS) if (s.kind === 'int' && typeof s.value.default === 'number') pairs.push([s.name, String(s.value.default)]);
  const unique = [...new Map(pairs.map((p) => [p.join('='), p])).values()];
  assert.ok(pairs.some(([n, d]) => n === 'batch_size' && d === '32') && pairs.some(([n, d]) => n === 'lr' && d === '0.001'));
  const offenders: string[] = [];
  for (const dir of ['server/src', 'engine/src', 'cli/src', 'client/src', 'webview/src']) {
    for (const file of sources(dir)) {
      const text = readFileSync(file, 'utf8');
      for (const [name, def] of unique) {
        // `lr ?? 0.001`, `batchSize: 32`, `n('lr') ?? 0.001`, `num('alpha', 0)`, `factor = 0.1`, `a.get("lr", 0.001)`.
        const re = new RegExp(`\\b(?:${escape(name)}|${escape(camel(name))})\\b(?:['"]?\\)?\\s*\\?\\?|['"]?\\s*(?:=|:|,))\\s*${escape(def)}(?![\\d.e])`);
        const m = re.exec(text);
        if (m && !NOT_TRAIN_DEFAULTS.some(([f, text]) => f === file && text === m[0])) offenders.push(`${file}: ${m[0]}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});
