// The memory check that runs before training: placeholder until the engine's estimate lands.
import type { ModelIR } from '../../engine/catalog/ir';
import type { TrainIR } from '../../engine/catalog/train_ir';

export function checkMemory(_ir: ModelIR, _config: TrainIR, _backend: 'cpu' | 'webgpu'): string | null {
  return null;
}
