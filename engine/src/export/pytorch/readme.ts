// README.md of the PyTorch export: what each file is, how to run it, and the choices a
// reader must know (channels-last inputs, the global batch size, checkpoints and resuming).

import type { ModelIR } from '../../../catalog/ir';
import type { TrainIR } from '../../../catalog/train_ir';

function shape(s: readonly (number | string)[]): string {
  return `[batch, ${s.join(', ')}]`;
}

export function readmeOf(ir: ModelIR, train: TrainIR | null, cls: string): string {
  const inputs = ir.inputs.map((i) => `- \`${i.name}\`: ${shape(i.shape)} ${i.dtype === 'int32' ? '(integer ids)' : '(float32)'}`).join('\n');
  const outputs = ir.outputs.map((o) => `- \`${o.name}\``).join('\n');
  const t = train
    ? `The train block: loss ${JSON.stringify(train.loss)}, optimizer ${train.optimizer.name} ${JSON.stringify(train.optimizer.args)}, ` +
      `${train.epochs} epochs, batch_size ${train.batchSize}, seed ${train.seed ?? 42}` +
      `${train.regularizer ? `, regularizer ${train.regularizer.name} (l1 ${train.regularizer.l1}, l2 ${train.regularizer.l2})` : ''}` +
      `${train.earlyStopping !== null ? `, early_stopping ${train.earlyStopping}` : ''}${train.schedule ? `, schedule ${train.schedule.name}` : ''}.`
    : 'The model has no train block: `predict.py` works, `train.py` needs one.';
  return `# ${ir.name} in PyTorch

Exported by \`netspec export --format pytorch\`. Needs Python 3 with \`torch\` and \`numpy\`
(\`Pillow\` only for an \`images(DIR)\` data source).

| file | what |
|---|---|
| \`model.py\` | \`${cls}\`, an \`nn.Module\`; \`build_model(weights=None, device="cpu")\` loads \`weights.safetensors\` |
| \`weights.safetensors\` | the weights as the module's \`state_dict\` (PyTorch names and layouts) |
| \`netspec.json\` | inputs, outputs, losses, the train block, labels, and how each weight maps back to netspec |
| \`data.py\` | reads the train block's data (csv, json, npy, idx, images) as netspec does |
| \`train.py\` | trains as the train block says: one process or \`torchrun\` (DistributedDataParallel) |
| \`predict.py\` | prints predictions exactly as \`netspec predict\` does |

Inputs (channels-last, as in netspec: an image is \`[batch, height, width, channels]\`;
convolutions and pooling permute to PyTorch's layout inside):
${inputs}

Outputs (\`forward\` returns a dict by name):
${outputs}

\`\`\`python
from model import build_model
model = build_model().eval()
y = model(${ir.inputs.map((i) => i.name).join(', ')})   # tensors, positional or by keyword, or one dict
\`\`\`

## Predict
\`\`\`
python predict.py --data FILE [--json] [--weights W]
\`\`\`
FILE is a \`.csv\`, \`.json\`, \`.npy\` or IDX images file read like the train block's data
(target columns ignored). The \`--json\` lines are \`netspec predict --json\`'s:
\`{"index": i, "outputs": {"NAME": [values...]}, "class": ...}\`.

## Train
${t}
\`\`\`
python train.py [--epochs N] [--checkpoint-dir D] [--batch-size B] [--limit N] [--json]
torchrun --nproc_per_node M train.py ...
torchrun --nnodes N --node_rank R --nproc_per_node M --rdzv-endpoint HOST:PORT train.py ...
\`\`\`
- \`batch_size\` is the **global** batch. Each step takes the next \`batch_size\` samples of
  netspec train's seeded epoch order (the engine's shuffle, recomputed each epoch), and each
  of the W processes takes every W-th of them, so one process runs exactly netspec train's
  batches. \`--shuffle torch\` uses PyTorch's \`DistributedSampler\` (seeded, \`set_epoch\`
  each epoch) with ceil(batch_size / W) samples per process instead.
- NCCL on GPUs (one per process, \`LOCAL_RANK\`), gloo on CPUs. Validation is split over
  the ranks and its sums are all-reduced, so the numbers are those of the whole set.
- Losses, Keras's optimizer formulas (Adam and RMSprop epsilon 1e-7), L1/L2 on kernels only,
  the schedule, metrics, early stopping (restoring the best epoch's weights) and the seeded
  validation split (the rows netspec holds out when the data fits its memory budget; over
  the budget netspec picks as many rows block by block) follow the train block.
- Rank 0 prints one line per epoch (\`--json\`: netspec train's JSON) and writes
  \`D/last.pt\` after every epoch (default \`D = ./checkpoints\`). A launch that finds
  \`D/last.pt\` resumes after its epoch (\`--no-resume\` starts afresh); rank 0 reads it and
  sends it to the other ranks, so other nodes need no shared disk. With
  \`torchrun --max-restarts K\`, workers that die are restarted and resume the same way.
  \`--dist-timeout S\` (default 1800) bounds every wait for the other processes.
- At the end rank 0 writes \`D/weights.safetensors\` (for \`predict.py --weights\`) and
  \`D/${ir.name}.safetensors\` in netspec's names and layouts (for \`netspec predict --weights\`).
- Data paths are the absolute paths of the train block; \`--data FILE\` and
  \`--validation-data FILE\` read other files of the same kind.
`;
}
