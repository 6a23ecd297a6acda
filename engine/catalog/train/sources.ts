// Data sources of spec §5 (engine/src/data reads them). Arguments marked `file` are paths
// resolved against the model file; `columns` ones name columns of a tabular source.

import { str, type TrainFunction } from './define';

const target = (what: string) => str('target', false, `The target ${what}(s).`, { columns: true });
const features = (what: string) => str('features', false, `The feature ${what}s.`, { columns: true });

export const SOURCES = [
  {
    name: 'csv',
    doc: 'csv(path, target=COL, features=[COL...]): a CSV file with a header row.',
    snippet: 'csv("${1:data.csv}", target="${2:label}")',
    args: [str('path', true, 'The CSV file.', { file: true, positional: true }), target('column'), features('column')],
  },
  {
    name: 'json',
    doc: 'json(path, target=COL, features=[COL...]): an array of records.',
    snippet: 'json("${1:data.json}", target="${2:label}")',
    args: [str('path', true, 'The JSON file.', { file: true, positional: true }), target('key'), features('key')],
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
