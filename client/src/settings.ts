// The extension's settings (contributes.configuration in package.json), read through a
// small getter so the clamping and defaults are plain code that unit tests check without an
// editor. `netspec.backend` picks where a run trains (backend_plan.ts), `netspec.weightsFolder` where the
// weights go, `netspec.chartSmoothing` how much the loss chart is smoothed.

import type { BackendChoice } from '../../webview/protocol';

/** The part of `vscode.WorkspaceConfiguration` this module uses. */
export interface ConfigLike {
  get<T>(key: string): T | undefined;
}

export interface Settings {
  backend: BackendChoice;
  /** Empty: beside the model file. Relative: against the model's workspace folder. */
  weightsFolder: string;
  /** 0 (none) to 0.99 (heavy), an exponential moving average's factor. */
  chartSmoothing: number;
  /** Where runs are recorded. Empty: `netspec-runs` beside the model file. Relative: against the workspace folder. */
  runsFolder: string;
}

/** The values of `netspec.backend` (package.json lists the same, with a description each). */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'host-webgpu', 'host-wasm', 'webgpu', 'cpu'];

export const DEFAULT_SETTINGS: Settings = { backend: 'auto', weightsFolder: '', chartSmoothing: 0.6, runsFolder: '' };

/** The settings from the `netspec` section, each invalid value replaced by its default. */
export function readSettings(config: ConfigLike): Settings {
  const backend = config.get<unknown>('backend');
  const folder = config.get<unknown>('weightsFolder');
  const smoothing = config.get<unknown>('chartSmoothing');
  const runs = config.get<unknown>('runsFolder');
  return {
    backend: BACKEND_CHOICES.includes(backend as BackendChoice) ? (backend as BackendChoice) : DEFAULT_SETTINGS.backend,
    weightsFolder: typeof folder === 'string' ? folder.trim() : DEFAULT_SETTINGS.weightsFolder,
    chartSmoothing:
      typeof smoothing === 'number' && Number.isFinite(smoothing) ? Math.min(0.99, Math.max(0, smoothing)) : DEFAULT_SETTINGS.chartSmoothing,
    runsFolder: typeof runs === 'string' ? runs.trim() : DEFAULT_SETTINGS.runsFolder,
  };
}
