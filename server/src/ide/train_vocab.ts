// The vocabulary of `train` blocks (spec §5) as completion and hover see it: setting names,
// losses, optimizers, learning-rate schedules, regularizers, metrics and data sources, each with a short doc and the
// snippet that completion inserts.

export interface VocabEntry {
  name: string;
  doc: string;
  /** Snippet inserted on completion; the bare name when absent. */
  snippet?: string;
  /** Argument names, for completion inside the call's parentheses. */
  args?: string[];
}

export const SETTINGS: readonly VocabEntry[] = [
  { name: 'data', doc: 'The training data: csv(...), json(...), npy(...), idx(...) or images(...).' },
  { name: 'validation', doc: 'A fraction held out after a seeded shuffle (e.g. 0.2), or a data source.' },
  { name: 'loss', doc: 'mse | mae | binary_cross_entropy | cross_entropy, or {output: loss, ...}.' },
  { name: 'loss_weights', doc: 'Weights of each output\'s loss: {out_a: 1, out_b: 0.5}.' },
  { name: 'optimizer', doc: 'sgd(lr, ...) | rmsprop(lr, ...) | adam(lr, ...) | adamw(lr, ...).' },
  { name: 'regularizer', doc: 'l1(x) | l2(x) | l1_l2(l1=x, l2=y); applied to kernels only.' },
  { name: 'epochs', doc: 'The number of passes over the training data.' },
  { name: 'batch_size', doc: 'Samples per gradient step.' },
  { name: 'metrics', doc: 'A list of accuracy | mae | mse | precision | recall | f1 (classification metrics reach class outputs only), or {output: [metric, ...]} per output.' },
  { name: 'seed', doc: 'The random seed: same seed, same data, same backend, the same run.' },
  { name: 'early_stopping', doc: 'Patience in epochs on validation loss; restores the best weights.' },
  { name: 'schedule', doc: 'The learning rate over training, from the optimizer\'s lr: constant | exponential(decay_rate, decay_steps) | cosine(decay_steps, alpha=0) | step(every, factor) | reduce_on_plateau(factor=0.1, patience=10).' },
];

export const SCHEDULES: readonly VocabEntry[] = [
  { name: 'constant', doc: 'constant: the optimizer\'s lr throughout (the default).' },
  {
    name: 'exponential',
    doc: 'exponential(decay_rate, decay_steps): lr · decay_rate^(step / decay_steps), per optimizer step (Keras ExponentialDecay).',
    snippet: 'exponential(decay_rate=${1:0.96}, decay_steps=${2:100})',
    args: ['decay_rate', 'decay_steps'],
  },
  {
    name: 'cosine',
    doc: 'cosine(decay_steps, alpha=0): from lr down to alpha · lr along a half cosine over decay_steps optimizer steps (Keras CosineDecay).',
    snippet: 'cosine(decay_steps=${1:1000})',
    args: ['decay_steps', 'alpha'],
  },
  { name: 'step', doc: 'step(every, factor): lr · factor^floor(epoch / every), a drop every `every` epochs.', snippet: 'step(every=${1:10}, factor=${2:0.5})', args: ['every', 'factor'] },
  {
    name: 'reduce_on_plateau',
    doc: 'reduce_on_plateau(factor=0.1, patience=10, min_delta=0.0001, min_lr=0): multiplies the rate by factor after patience epochs without improvement of the validation loss (the training loss without validation).',
    snippet: 'reduce_on_plateau(factor=${1:0.5}, patience=${2:3})',
    args: ['factor', 'patience', 'min_delta', 'min_lr'],
  },
];

export const LOSSES: readonly VocabEntry[] = [
  { name: 'mse', doc: 'Mean squared error (regression).' },
  { name: 'mae', doc: 'Mean absolute error (regression).' },
  { name: 'binary_cross_entropy', doc: 'Binary cross-entropy on a sigmoid or logit output.' },
  { name: 'cross_entropy', doc: 'Categorical cross-entropy with class indices; softmax outputs are probabilities, others logits.' },
];

export const OPTIMIZERS: readonly VocabEntry[] = [
  { name: 'sgd', doc: 'sgd(lr, momentum=0, nesterov=false)', snippet: 'sgd(lr=${1:0.01})', args: ['lr', 'momentum', 'nesterov'] },
  { name: 'rmsprop', doc: 'rmsprop(lr, rho=0.9)', snippet: 'rmsprop(lr=${1:0.001})', args: ['lr', 'rho'] },
  { name: 'adam', doc: 'adam(lr, beta1=0.9, beta2=0.999)', snippet: 'adam(lr=${1:0.001})', args: ['lr', 'beta1', 'beta2'] },
  { name: 'adamw', doc: 'adamw(lr, weight_decay=0.01)', snippet: 'adamw(lr=${1:0.001})', args: ['lr', 'weight_decay'] },
];

export const REGULARIZERS: readonly VocabEntry[] = [
  { name: 'l1', doc: 'l1(x): x·Σ|w| over kernels.', snippet: 'l1(${1:0.0001})' },
  { name: 'l2', doc: 'l2(x): x·Σw² over kernels.', snippet: 'l2(${1:0.0001})' },
  { name: 'l1_l2', doc: 'l1_l2(l1=x, l2=y).', snippet: 'l1_l2(l1=${1:0.0001}, l2=${2:0.0001})', args: ['l1', 'l2'] },
];

export const METRICS: readonly VocabEntry[] = [
  { name: 'accuracy', doc: 'Fraction of correct predictions.' },
  { name: 'mae', doc: 'Mean absolute error.' },
  { name: 'mse', doc: 'Mean squared error.' },
  { name: 'precision', doc: 'Macro-averaged precision.' },
  { name: 'recall', doc: 'Macro-averaged recall.' },
  { name: 'f1', doc: 'Macro-averaged F1 score.' },
];

export const DATA_SOURCES: readonly VocabEntry[] = [
  { name: 'csv', doc: 'csv(path, target=COL, features=[COL...]): a CSV file with a header row.', snippet: 'csv("${1:data.csv}", target="${2:label}")', args: ['target', 'features'] },
  { name: 'json', doc: 'json(path, target=COL, features=[COL...]): an array of records.', snippet: 'json("${1:data.json}", target="${2:label}")', args: ['target', 'features'] },
  { name: 'npy', doc: 'npy(features="x.npy", targets="y.npy").', snippet: 'npy(features="${1:x.npy}", targets="${2:y.npy}")', args: ['features', 'targets'] },
  { name: 'idx', doc: 'idx(images=PATH, labels=PATH): the MNIST file format, optionally gzipped.', snippet: 'idx(images="${1:images.idx}", labels="${2:labels.idx}")', args: ['images', 'labels'] },
  { name: 'images', doc: 'images(DIR): one sub-folder per class, PNG or JPEG.', snippet: 'images("${1:dir}")' },
];

/** The values a setting takes, by setting name. */
export function settingValues(setting: string): readonly VocabEntry[] {
  switch (setting) {
    case 'loss':
      return LOSSES;
    case 'optimizer':
      return OPTIMIZERS;
    case 'regularizer':
      return REGULARIZERS;
    case 'schedule':
      return SCHEDULES;
    case 'metrics':
      return METRICS;
    case 'data':
    case 'validation':
      return DATA_SOURCES;
    default:
      return [];
  }
}

/** Every function that may be called in a train block, for argument-name completion. */
export function trainFunction(name: string): VocabEntry | undefined {
  return [...OPTIMIZERS, ...REGULARIZERS, ...SCHEDULES, ...DATA_SOURCES].find((e) => e.name === name);
}
