// The Keras script export. Keras is not installed here, so the script is checked three ways:
// `python3 -m py_compile` accepts it; it runs against a stand-in `keras` package (written
// below) that records every Input, layer construction, call and set_weights, so the layer
// list, names, classes, arguments and wiring read back from the generated script must equal
// the Keras graph the exporter built; and its own safetensors reader (json + numpy) must load
// exactly the engine's weight values into each layer, in Keras's order. Every catalog layer
// (Keras 3 has them all; PositionEmbedding is a custom layer in the script) and every
// example model is covered.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { allLayers } from '../../../engine/catalog';
import type { ModelIR } from '../../../engine/catalog/ir';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { findExporter } from '../../../engine/src/export/formats';
import { kerasGraph, type KerasValue } from '../../../engine/src/export/keras/topology';
import type { ExportFile } from '../../../engine/src/export/types';
import { Model } from '../../../engine/src/model';
import { setBackend } from '../../../engine/src/tensor';
import { downloadWeights } from '../../../engine/src/train/weights';
import type { NamedArray } from '../../../engine/src/train/types';
import { checkText } from '../../../server/src/sema/check';
import { inferNode, modelIR, oneLayerIR, randomSample, SAMPLES } from '../engine/catalog_ir';
import { lcg, randomValues } from '../engine/helpers';

/** A stand-in for Keras 3 that records what the script builds. */
const FAKE_KERAS = `
import numpy as np

LOG = []


class KerasTensor:
    def __init__(self, producer):
        self.producer = producer


class _Recorded:
    def _record(self, cls, kwargs):
        self.cls = cls
        self.kwargs = kwargs
        self.name = kwargs.get("name")
        self.inputs = None
        self.call_kwargs = None
        self.loaded = None
        LOG.append(self)

    def __call__(self, *args, **kwargs):
        assert self.inputs is None, f"{self.name} called twice"
        def names(a):
            if isinstance(a, (list, tuple)):
                return [names(x) for x in a]
            assert isinstance(a, KerasTensor), f"{self.name} called on {a!r}"
            return a.producer.name
        self.inputs = [names(a) for a in args]
        self.call_kwargs = kwargs
        return KerasTensor(self)

    def set_weights(self, weights):
        assert self.loaded is None, f"{self.name}: weights set twice"
        self.loaded = [np.asarray(w) for w in weights]


class _Generic(_Recorded):
    def __init__(self, cls, kwargs):
        # A layer given to another as an argument (Bidirectional's) is part of that one.
        for v in kwargs.values():
            if isinstance(v, _Recorded) and v in LOG:
                LOG.remove(v)
        self._record(cls, kwargs)


class Layer(_Recorded):
    def __init__(self, **kwargs):
        self._record(type(self).__name__, dict(kwargs))


class _Layers:
    Layer = Layer

    def __getattr__(self, cls):
        return lambda **kwargs: _Generic(cls, kwargs)


layers = _Layers()


class _Input:
    def __init__(self, shape, dtype, name):
        self.cls = "Input"
        self.name = name
        self.kwargs = {"shape": list(shape), "dtype": dtype}
        LOG.append(self)


def Input(shape, dtype="float32", name=None):
    return KerasTensor(_Input(shape, dtype, name))


class Model:
    def __init__(self, inputs, outputs, name):
        def names(x):
            if isinstance(x, dict):
                return {k: names(v) for k, v in x.items()}
            if isinstance(x, (list, tuple)):
                return [names(v) for v in x]
            return x.producer.name
        self.inputs = names(inputs)
        self.outputs = names(outputs)
        self.name = name

    def get_layer(self, name):
        found = [l for l in LOG if l.name == name and not isinstance(l, _Input)]
        assert len(found) == 1, f"get_layer({name!r}) finds {len(found)}"
        return found[0]


class _Saving:
    @staticmethod
    def register_keras_serializable(package=None, name=None):
        return lambda f: f


saving = _Saving()


class _Activations:
    @staticmethod
    def leaky_relu(x, negative_slope=0.2):
        return x


activations = _Activations()
`;

/**
 * Builds and loads each exported model (paths on stdin, one a line) against the stand-in and
 * prints what it recorded, one JSON line per script: one Python process for all of them.
 */
const DRIVER = `
import importlib.util, json, sys
import keras

def code(v):
    """A nested layer written back as the constructor call that built it."""
    if isinstance(v, keras._Recorded):
        return f"keras.layers.{v.cls}(" + ", ".join(f"{k}={code(x)}" for k, x in v.kwargs.items()) + ")"
    if isinstance(v, bool) or v is None:
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    return v.__name__ if callable(v) else repr(v)

def plain(v):
    if isinstance(v, keras._Recorded):
        return {"py": code(v)}
    return {"py": v.__name__} if callable(v) else v

for i, path in enumerate(sys.stdin.read().split()):
    keras.LOG.clear()
    spec = importlib.util.spec_from_file_location(f"model_keras_{i}", path)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    model = m.build_model()
    m.load_weights(model)
    log = []
    for l in keras.LOG:
        kwargs = {k: plain(v) for k, v in l.kwargs.items() if k != "name"}
        if l.cls == "PositionEmbedding":
            kwargs["max_len"] = l.max_len
        loaded = getattr(l, "loaded", None)
        log.append({
            "cls": l.cls, "name": l.name, "kwargs": kwargs,
            "inputs": getattr(l, "inputs", None), "call_kwargs": getattr(l, "call_kwargs", None),
            "loaded": None if loaded is None else [{"shape": list(w.shape), "dtype": str(w.dtype), "values": w.reshape(-1).tolist()} for w in loaded],
        })
    print(json.dumps({"path": path, "name": model.name, "inputs": model.inputs, "outputs": model.outputs, "log": log}))
`;

interface Recorded {
  name: string;
  inputs: string | string[];
  outputs: string | Record<string, string> | string[];
  log: {
    cls: string;
    name: string;
    kwargs: Record<string, unknown>;
    inputs: (string | string[])[] | null;
    call_kwargs: Record<string, unknown> | null;
    loaded: { shape: number[]; dtype: string; values: number[] }[] | null;
  }[];
}

let dir: string;
let fakeKeras: string;
before(() => {
  setBackend(new CpuBackend());
  dir = mkdtempSync(join(tmpdir(), 'netspec-keras-'));
  fakeKeras = join(dir, 'fake');
  mkdirSync(join(fakeKeras, 'keras'), { recursive: true });
  writeFileSync(join(fakeKeras, 'keras', '__init__.py'), FAKE_KERAS);
  writeFileSync(join(dir, 'driver.py'), DRIVER);
});
after(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;
function writeExport(files: ExportFile[]): string {
  const out = join(dir, `export${runs++}`);
  mkdirSync(out);
  for (const f of files) writeFileSync(join(out, f.path), f.data);
  return out;
}

/** Random weights of the model in the engine's order. */
async function weightsOf(ir: ModelIR, seed: number): Promise<NamedArray[]> {
  const built = Model.build(ir, seed);
  assert.ok(built.ok, built.ok ? '' : built.error.message);
  const arrays = (await downloadWeights(built.model)).map((a, k) => ({ ...a, data: Float32Array.from(randomValues(a.data.length, seed + k)) }));
  built.model.dispose();
  return arrays;
}

const plain = (v: KerasValue): unknown => JSON.parse(JSON.stringify(v));

interface Case {
  ir: ModelIR;
  weights: NamedArray[];
  script: string;
  text: string;
}

/** Exports `ir` as keras into its own folder; the script runs later with all the others. */
async function prepare(ir: ModelIR, seed: number): Promise<Case> {
  const weights = await weightsOf(ir, seed);
  const outcome = await findExporter('keras')!.run({ model: ir, train: null, weights, trained: true, metadata: { labels: '["a"]' }, modelFile: '/x/m.netspec' }, { quantize: null });
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
  assert.deepEqual(outcome.files.map((f) => f.path), ['model_keras.py', 'weights.safetensors']);
  const out = writeExport(outcome.files);
  const script = join(out, 'model_keras.py');
  return { ir, weights, script, text: readFileSync(script, 'utf8') };
}

/** py_compile and the stand-in run of every prepared script, in two Python processes. */
function runAll(cases: Case[]): Map<string, Recorded> {
  const compiled = spawnSync('python3', ['-m', 'py_compile', ...cases.map((c) => c.script)], { encoding: 'utf8' });
  assert.equal(compiled.status, 0, `py_compile: ${compiled.stderr}`);
  const r = spawnSync('python3', [join(dir, 'driver.py')], {
    input: cases.map((c) => c.script).join('\n'),
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: fakeKeras },
    maxBuffer: 256 << 20,
  });
  assert.equal(r.status, 0, `the scripts against the stand-in keras: ${r.stderr}`);
  const out = new Map<string, Recorded>();
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const rec = JSON.parse(line) as Recorded & { path: string };
    out.set(rec.path, rec);
  }
  return out;
}

/** What the script built and loaded equals the exporter's Keras graph and the engine's weights. */
function verify(c: Case, rec: Recorded | undefined): void {
  assert.ok(rec, `${c.script} ran`);
  const { ir, weights } = c;
  const built = kerasGraph(ir, 'keras');
  assert.ok(built.ok);
  const graph = built.graph;
  assert.equal(rec.name, ir.name);
  // Inputs, then one layer per graph layer, in order, with its class, arguments and inputs.
  assert.deepEqual(rec.log.filter((l) => l.cls === 'Input').map((l) => [l.name, l.kwargs]), graph.inputs.map((i) => [i.name, { shape: i.shape, dtype: i.dtype }]));
  const layers = rec.log.filter((l) => l.cls !== 'Input');
  assert.deepEqual(layers.map((l) => l.name), graph.layers.map((l) => l.name), 'layer names');
  graph.layers.forEach((g, i) => {
    const l = layers[i];
    assert.equal(l.cls, g.className, `${g.name}: class`);
    assert.deepEqual(l.kwargs, plain(g.config), `${g.name}: arguments`);
    const expectedCall = g.className === 'MultiHeadAttention' ? (g.inbound.length === 1 ? [g.inbound[0], g.inbound[0]] : g.inbound) : g.inbound.length === 1 ? g.inbound : [g.inbound];
    assert.deepEqual(l.inputs, expectedCall, `${g.name}: inputs`);
    assert.deepEqual(l.call_kwargs, plain(g.callKwargs), `${g.name}: call arguments`);
    // The weights the script's reader loaded are the engine's, value for value, in Keras's order.
    if (g.weights.length === 0) assert.equal(l.loaded, null, `${g.name}: no weights`);
    else {
      assert.ok(l.loaded, `${g.name}: weights loaded`);
      assert.deepEqual(l.loaded.map((w) => w.shape), g.weights.map((w) => w.shape), `${g.name}: weight shapes`);
      g.weights.forEach((w, k) => {
        const src = weights.find((a) => a.name === w.engine)!;
        assert.equal(l.loaded![k].dtype, 'float32');
        assert.deepEqual(l.loaded![k].values, [...src.data], `${w.engine}: values`);
      });
    }
  });
  assert.deepEqual(rec.inputs, graph.inputs.length === 1 ? graph.inputs[0].name : graph.inputs.map((i) => i.name));
  assert.deepEqual(rec.outputs, graph.outputs.length === 1 ? graph.outputs[0].layer : Object.fromEntries(graph.outputs.map((o) => [o.name, o.layer])));
}

function attentionIR(): ModelIR {
  const nodes: [string, string, Record<string, unknown>, string[]][] = [
    ['enc/dense', 'Dense', { units: 6, activation: 'leaky_relu' }, ['x']],
    ['enc/mha', 'MultiHeadAttention', { heads: 2, causal: true }, ['enc/dense']],
    ['cross', 'MultiHeadAttention', { heads: 3, key_dim: 2 }, ['enc/mha', 'kv']],
    ['lambda', 'Concat', { axis: 0 }, ['cross', 'enc/dense']],
    ['sm', 'Softmax', { axis: 0 }, ['lambda']],
  ];
  const shapes = new Map<string, number[]>([['x', [4, 5]], ['kv', [3, 2]]]);
  const irNodes = nodes.map(([id, op, args, ins]) => {
    const n = inferNode(id, op, args as never, ins.map((i) => ({ id: i, shape: shapes.get(i)!, dtype: 'float32' as const })));
    if (typeof n === 'string') throw new Error(n);
    shapes.set(id, n.shape as number[]);
    return n;
  });
  const ir = modelIR('Attn', [{ name: 'x', shape: [4, 5], dtype: 'float32' }, { name: 'kv', shape: [3, 2], dtype: 'float32' }], irNodes, 'sm');
  ir.outputs = [{ name: 'probs', tensor: 'sm' }, { name: 'hidden', tensor: 'enc/dense' }];
  return ir;
}

const exampleFiles = readdirSync('examples').flatMap((d) => {
  try {
    return readdirSync(join('examples', d)).filter((f) => f.endsWith('.netspec')).map((f) => join('examples', d, f));
  } catch {
    return [];
  }
});

describe('keras export', () => {
  /** The cases by test name, all run in one Python process before the tests look. */
  const cases = new Map<string, Case[]>();
  let recorded: Map<string, Recorded>;

  before(async () => {
    for (const spec of allLayers()) {
      const list = [await prepare(oneLayerIR(spec.name, SAMPLES[spec.name]), 3)];
      const r = lcg(spec.name.length * 131 + 7);
      for (let k = 0; k < 2; k++) list.push(await prepare(oneLayerIR(spec.name, randomSample(spec.name, r)), 10 + k));
      cases.set(spec.name, list);
    }
    cases.set('attention', [await prepare(attentionIR(), 5)]);
    const sym = checkText('model Sym {\n  input x: [seq, 4]\n  LSTM(5, return_sequences=true)\n  PositionEmbedding(16)\n  GlobalMaxPool1D()\n}\n', { path: '/x/sym.netspec' }).models[0].ir;
    assert.ok(sym);
    cases.set('symbolic', [await prepare(sym, 6)]);
    for (const file of exampleFiles) {
      const checked = checkText(readFileSync(file, 'utf8'), { path: file });
      const list: Case[] = [];
      for (const m of checked.models) {
        assert.ok(m.ir, `${file}: ${m.name} has an IR`);
        list.push(await prepare(m.ir, 9));
      }
      cases.set(file, list);
    }
    recorded = runAll([...cases.values()].flat());
  });

  const check = (key: string) => {
    for (const c of cases.get(key)!) {
      try {
        verify(c, recorded.get(c.script));
      } catch (e) {
        throw new Error(`${c.ir.nodes.map((n) => `${n.op}${JSON.stringify(n.args)}`).join(' -> ')}: ${(e as Error).message}`);
      }
    }
  };

  for (const spec of allLayers()) {
    test(`${spec.name}: the script builds the layer and loads its weights`, () => check(spec.name));
  }

  test('Keras 3 arguments: leaky_relu slope 0.01, causal attention, cross-attention, axes past the batch, names with "/"', () => {
    check('attention');
    const text = cases.get('attention')![0].text;
    assert.match(text, /enc_dense = keras\.layers\.Dense\(units=6, activation=leaky_relu_001, use_bias=True, name="enc_dense"\)\(x\)/);
    assert.match(text, /def leaky_relu_001\(x\):\n.*\n    return keras\.activations\.leaky_relu\(x, negative_slope=0\.01\)/);
    assert.match(text, /keras\.layers\.MultiHeadAttention\(num_heads=2, key_dim=3, name="enc_mha"\)\(enc_dense, enc_dense, use_causal_mask=True\)/);
    assert.match(text, /keras\.layers\.MultiHeadAttention\(num_heads=3, key_dim=2, name="cross"\)\(enc_mha, kv\)/);
    assert.match(text, /lambda_ = keras\.layers\.Concatenate\(axis=1, name="lambda"\)\(\[cross, enc_dense\]\)/);
    assert.match(text, /keras\.layers\.Softmax\(axis=1, name="sm"\)\(lambda_\)/);
    assert.match(text, /return keras\.Model\(inputs=\[x, kv\], outputs=\{"probs": sm, "hidden": enc_dense\}, name="Attn"\)/);
  });

  test('Bidirectional constructs its inner layer, named as Keras names it, so the weights are forward_lstm/...', () => {
    check('Bidirectional');
    assert.match(cases.get('Bidirectional')![0].text, /keras\.layers\.Bidirectional\(layer=keras\.layers\.LSTM\(units=3, return_sequences=True, .*name="lstm"\), merge_mode="concat", name="layer"\)\(x0\)/);
  });

  test('a symbolic size is None in keras.Input', () => {
    check('symbolic');
    assert.match(cases.get('symbolic')![0].text, /x = keras\.Input\(shape=\(None, 4\), dtype="float32", name="x"\)/);
  });

  for (const file of exampleFiles) {
    test(`example ${file}`, () => {
      check(file);
      for (const c of cases.get(file)!) {
        if (c.ir.nodes.some((n) => n.op === 'PositionEmbedding')) assert.match(c.text, /class PositionEmbedding\(keras\.layers\.Layer\):/);
      }
    });
  }
});
