// The PyTorch exporter: a folder with model.py (an nn.Module generated from the IR),
// weights.safetensors (the module's state_dict), netspec.json (inputs, outputs, losses, the
// train block, labels, and how each state entry maps back to the engine's weights),
// data.py, train.py (one process or torchrun/DDP), predict.py (netspec predict's output)
// and a README. The Python is template text in this folder's *_py.ts modules, so the
// bundled CLI carries it.

import { encodeSafetensors } from '../../io/safetensors';
import type { ModelIR } from '../../../catalog/ir';
import type { TrainIR } from '../../../catalog/train_ir';
import type { ExportOutcome, ExportSource, Exporter } from '../types';
import { modelPy } from './model_py';
import { stateDict } from './weights';
import { DATA_PY } from './data_py';
import { PREDICT_PY } from './predict_py';
import { TRAIN_PY } from './train_py';
import { readmeOf } from './readme';

export interface OutputInfo {
  name: string;
  shape: (number | null)[];
  loss: string;
  kind: 'class' | 'value';
  probabilities: boolean;
  weight: number;
  /** A classifier in netspec predict's sense: cross_entropy with one class per sample. */
  classifier: boolean;
  target_shape: (number | null)[];
  units: number;
}

function shapeOf(ir: ModelIR, tensor: string): (number | null)[] {
  const s = ir.nodes.find((n) => n.id === tensor)?.shape ?? ir.inputs.find((i) => i.name === tensor)?.shape ?? [];
  return s.map((d) => (typeof d === 'number' ? d : null));
}

export function outputInfos(ir: ModelIR, train: TrainIR | null): OutputInfo[] {
  return ir.outputs.map((o) => {
    const loss = !train ? 'mse' : typeof train.loss === 'string' ? train.loss : (train.loss[o.name] ?? 'mse');
    const node = ir.nodes.find((n) => n.id === o.tensor);
    const shape = shapeOf(ir, o.tensor);
    const kind = loss === 'cross_entropy' ? 'class' : 'value';
    const targetShape = kind === 'class' ? shape.slice(0, -1) : shape;
    const size = targetShape.reduce<number | null>((a, d) => (a === null || d === null ? null : a * d), 1);
    return {
      name: o.name,
      shape,
      loss,
      kind,
      probabilities: node !== undefined && (node.op === 'Softmax' || node.args.activation === 'softmax'),
      weight: train?.lossWeights?.[o.name] ?? 1,
      classifier: kind === 'class' && size === 1,
      target_shape: targetShape,
      units: shape[shape.length - 1] ?? 0,
    };
  });
}

function parseLabels(text: string | undefined): Record<string, string[] | null> {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string[] | null>) : {};
  } catch {
    return {};
  }
}

async function run(source: ExportSource): Promise<ExportOutcome> {
  const { model: ir, train } = source;
  const header = `# ${ir.name}, exported by \`netspec export --format pytorch\` from ${source.modelFile}.\n# Inputs are channels-last (NHWC) as in netspec; forward returns a dict of outputs by name.\n`;
  const py = modelPy(ir, header);
  if ('message' in py) return { ok: false, error: py };
  const state = stateDict(ir, source.weights);
  if ('message' in state) return { ok: false, error: state };
  const labels = parseLabels(source.metadata.labels);
  const config = {
    format: 'netspec-pytorch',
    version: 1,
    model: ir.name,
    class: py.className,
    model_file: source.modelFile,
    trained: source.trained,
    inputs: ir.inputs.map((i) => ({ name: i.name, shape: i.shape.map((d) => (typeof d === 'number' ? d : null)), dtype: i.dtype })),
    outputs: outputInfos(ir, train),
    labels,
    train,
    state: state.map((e) => ({ key: e.key, engine: e.engine, back: e.back, regularized: e.regularized, trainable: e.trainable })),
  };
  const weights = encodeSafetensors(
    state.map((e) => ({ name: e.key, shape: e.shape, data: e.data })),
    { format: 'pt', netspec_model: ir.name, ...(source.metadata.labels ? { labels: source.metadata.labels } : {}) },
  );
  const notes: string[] = [];
  if (!train) notes.push(`model ${ir.name} has no train block: train.py needs one (predict.py works)`);
  return {
    ok: true,
    files: [
      { path: 'model.py', data: py.text },
      { path: 'weights.safetensors', data: weights },
      { path: 'netspec.json', data: JSON.stringify(config, null, 1) + '\n' },
      { path: 'data.py', data: DATA_PY },
      { path: 'train.py', data: TRAIN_PY },
      { path: 'predict.py', data: PREDICT_PY },
      { path: 'README.md', data: readmeOf(ir, train, py.className) },
    ],
    notes,
    report: { parameters: state.filter((e) => e.trainable).reduce((a, e) => a + e.data.length, 0) },
  };
}

export const PYTORCH_EXPORTER: Exporter = {
  format: 'pytorch',
  summary: 'PyTorch: model.py (nn.Module), weights.safetensors, data.py, train.py (torchrun/DDP), predict.py',
  quantizes: false,
  run: (source) => run(source),
};
