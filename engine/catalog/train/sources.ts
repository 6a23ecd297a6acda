// Data sources of spec §5 (engine/src/data reads them). Arguments marked `file` are paths
// resolved against the model file; `columns` ones name columns of a tabular source.

import { str, type TrainArgSpec, type TrainFunction } from './define';

const target = (what: string) => str('target', false, `The target ${what}(s).`, { columns: true });
const features = (what: string) => str('features', false, `The feature ${what}s.`, { columns: true });
/** vocab= and length= when a text column does not give them. */
export const TEXT_DEFAULTS = { vocab: 20000, length: 200 } as const;

/** A text column's arguments (engine/src/data/text.ts): the column, the vocabulary size and the sequence length. */
const text = (what: string): TrainArgSpec[] => [
  str('text', false, `A ${what} of text, the model's one input: lowercased, split into words (runs of letters and digits), each word its id in a vocabulary built from the training rows (most frequent first; 0 pads, 1 is a word outside it), padded or cut to \`length\` ids. The input must be [length] int.`, { columns: true }),
  { name: 'vocab', type: 'int', required: false, default: TEXT_DEFAULTS.vocab, min: 3, doc: 'With text=: the vocabulary size, padding (0) and unknown (1) included; the Embedding takes this many ids.' },
  { name: 'length', type: 'int', required: false, default: TEXT_DEFAULTS.length, min: 1, doc: 'With text=: the ids per sample; longer texts are cut, shorter ones padded with 0 at the end.' },
];

export const SOURCES = [
  {
    name: 'csv',
    doc: 'csv(path, target=COL, features=[COL...]): a CSV file with a header row. csv(path, target=COL, text=COL, vocab=20000, length=200): a text column as word ids.',
    snippet: 'csv("${1:data.csv}", target="${2:label}")',
    args: [str('path', true, 'The CSV file.', { file: true, positional: true }), target('column'), features('column'), ...text('column')],
  },
  {
    name: 'json',
    doc: 'json(path, target=COL, features=[COL...]): an array of records. json(path, target=KEY, text=KEY, vocab=20000, length=200): a text key as word ids.',
    snippet: 'json("${1:data.json}", target="${2:label}")',
    args: [str('path', true, 'The JSON file.', { file: true, positional: true }), target('key'), features('key'), ...text('key')],
  },
  {
    name: 'npy',
    doc: 'npy(features="x.npy", targets="y.npy").',
    snippet: 'npy(features="${1:x.npy}", targets="${2:y.npy}")',
    args: [str('features', true, 'The features .npy file.', { file: true }), str('targets', true, 'The targets .npy file.', { file: true })],
  },
  {
    name: 'idx',
    doc: 'idx(images=PATH, labels=PATH): the MNIST file format, optionally gzipped.',
    snippet: 'idx(images="${1:images.idx}", labels="${2:labels.idx}")',
    args: [str('images', true, 'The idx images file.', { file: true }), str('labels', true, 'The idx labels file.', { file: true })],
  },
  {
    name: 'images',
    doc: 'images(DIR): one sub-folder per class, PNG or JPEG.',
    snippet: 'images("${1:dir}")',
    args: [str('path', true, 'A folder with one sub-folder per class.', { file: true, positional: true })],
  },
] as const satisfies readonly TrainFunction[];

export type SourceName = (typeof SOURCES)[number]['name'];
