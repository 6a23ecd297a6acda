// Every example model (examples/**/*.netspec) exported to ONNX with random weights and run
// in onnxruntime on the first 16 samples of its own data, read the way `netspec predict`
// reads them, against the engine's predict function on the same samples.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { loadDataset, predictionSource } from '../../../engine/src/data/load';
import { buildOnnxGraph } from '../../../engine/src/export/onnx/exporter';
import { nodeFiles } from '../../../cli/src/data/node_files';
import { compare, engineOutputs, modelFrom, ortOutputs, randomWeights, type Feed } from './onnx_helpers';

const SAMPLES = 16;

function examples(dir = resolve('examples')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? examples(join(dir, e.name)) : e.name.endsWith('.netspec') ? [join(dir, e.name)] : [],
  );
}

/** The data file predict would be given: the validation file when the block names one. */
function dataFile(source: { path?: string; files?: Record<string, string> }): string {
  return source.path ?? source.files!.images;
}

const files = examples();

test('the examples are found', () => assert.ok(files.length >= 8, files.join(', ')));

for (const file of files) {
  test(`ONNX example ${file.slice(resolve('examples').length + 1)}`, async () => {
    const { ir, train } = modelFrom(readFileSync(file, 'utf8'), file);
    assert.ok(train?.data);
    const validation = typeof train.validation === 'object' && train.validation ? train.validation : train.data;
    const source = predictionSource(dataFile(validation), train.data);
    assert.ok(source.ok);
    const data = await loadDataset(source.value, ir, { config: train, targets: 'ignore', files: nodeFiles });
    assert.ok(data.ok, data.ok ? '' : data.error.message);
    const feeds: Record<string, Feed> = {};
    for (const input of ir.inputs) {
      const set = data.value.inputs[input.name];
      const per = set.sampleShape.reduce((a, b) => a * b, 1);
      feeds[input.name] = { data: set.data.slice(0, SAMPLES * per), shape: [SAMPLES, ...set.sampleShape] };
    }
    const weights = randomWeights(ir, 9);
    // A BatchNorm on an input gets the samples' own statistics, so raw features (flipper
    // lengths in mm) are normalised and the softmax outputs do not saturate.
    for (const node of ir.nodes.filter((n) => n.op === 'BatchNorm' && feeds[n.inputs[0]])) {
      const x = feeds[node.inputs[0]].data;
      const f = (ir.inputs.find((i) => i.name === node.inputs[0])!.shape.at(-1)) as number;
      const mean = weights.find((w) => w.name === `${node.id}/moving_mean`)!.data;
      const variance = weights.find((w) => w.name === `${node.id}/moving_variance`)!.data;
      const n = x.length / f;
      for (let j = 0; j < f; j++) {
        let m = 0;
        for (let i = 0; i < n; i++) m += x[i * f + j] / n;
        let v = 0;
        for (let i = 0; i < n; i++) v += (x[i * f + j] - m) ** 2 / n;
        mean[j] = m;
        variance[j] = v + 1e-3;
      }
    }
    const built = buildOnnxGraph(ir, weights);
    assert.ok(built.ok);
    const expected = await engineOutputs(ir, weights, feeds);
    const actual = await ortOutputs(built.builder.encode(ir.name, false, 'test'), feeds);
    for (const out of ir.outputs) {
      const r = compare(actual[out.name].data, expected[out.name]);
      console.log(`${ir.name}.${out.name}: worst relative difference ${r.worstRel.toExponential(2)}`);
      assert.ok(r.ok, `${out.name}: worst relative difference ${r.worstRel}, largest absolute ${r.maxAbs}`);
    }
  });
}
