// The memory check that runs before training: the engine's estimate (weights, gradients,
// optimizer state, activations at the batch size) against what this machine can give.
// The limit is 80% of the host's memory (the CPU backend's arrays, and a GPU's staging
// copies), or NETSPEC_MEMORY_LIMIT_MB when set, so a run that cannot fit fails at once
// with both sizes instead of minutes later.

import { totalmem } from 'node:os';
import type { ModelIR } from '../../engine/catalog/ir';
import type { TrainIR } from '../../engine/catalog/train_ir';
import { checkFits, estimateTrainingMemory } from '../../engine/src/train/memory_estimate';
import type { Dataset } from '../../engine/src/data/dataset';

/** Bytes training may use: NETSPEC_MEMORY_LIMIT_MB, else 80% of the host's memory. */
export function memoryLimit(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.NETSPEC_MEMORY_LIMIT_MB);
  if (Number.isFinite(mb) && mb > 0) return mb * 1024 * 1024;
  return totalmem() * 0.8;
}

/** Null when training fits; else the message that says both sizes and what to change. */
export function checkMemory(ir: ModelIR, config: TrainIR, data: Dataset, limit = memoryLimit()): string | null {
  const shapes = Object.fromEntries(Object.entries(data.inputs).map(([k, v]) => [k, v.sampleShape]));
  const estimate = estimateTrainingMemory(ir, config, shapes);
  return checkFits(estimate, limit)?.message ?? null;
}
