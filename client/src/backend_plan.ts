// Where a run trains, as the places to try in order for the `netspec.backend` setting, and
// the sentence the panel shows about why it ended up where it did. `auto` follows the
// issue's order: a hardware adapter in the extension host (Dawn: Vulkan, Metal, D3D12),
// else a hardware adapter in the panel's webview, else the CPU in the extension host (the
// WebAssembly SIMD kernels on every core, faster than the panel's one-thread CPU path). A
// software adapter counts as none for `auto`: the runner declines and the next place is tried.

import type { BackendChoice, RunnerBackend, RunPlace } from '../../webview/protocol';

export interface Attempt {
  place: RunPlace;
  backend: RunnerBackend;
}

/** The places to try for a setting, in order; each but the last may decline. */
export function attemptsFor(choice: BackendChoice): Attempt[] {
  switch (choice) {
    case 'webgpu':
      return [{ place: 'panel', backend: 'webgpu' }];
    case 'cpu':
      return [{ place: 'panel', backend: 'cpu' }];
    case 'host-webgpu':
      return [{ place: 'host', backend: 'webgpu' }];
    case 'host-wasm':
      return [{ place: 'host', backend: 'wasm' }];
    default:
      return [
        { place: 'host', backend: 'gpu-hardware' },
        { place: 'panel', backend: 'gpu-hardware' },
        { place: 'host', backend: 'wasm' },
      ];
  }
}

/** A place as the panel names it. */
export function placeName(place: RunPlace): string {
  return place === 'host' ? 'the extension host' : 'the panel (webview)';
}

export interface Decline {
  place: RunPlace;
  reason: string;
}

/** Why the run trains where it does: the setting, and what each earlier place said. */
export function explainChoice(choice: BackendChoice, declines: Decline[]): string {
  const setting = `netspec.backend is "${choice}"`;
  if (declines.length === 0) return choice === 'auto' ? `${setting}: a hardware GPU adapter was found` : setting;
  return `${setting}; ${declines.map((d) => `${placeName(d.place)}: ${d.reason}`).join('; ')}`;
}
