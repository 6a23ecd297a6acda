// What `netspec train` and `netspec predict` share before any number is computed: reading
// and checking the model file (errors printed as `check` prints them), picking the model
// and its train block, choosing the compute backend, and printing data errors with paths
// relative to the working directory. Each step returns a value or an exit status.

import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { ModelIR } from '../../engine/catalog/ir';
import type { TrainIR } from '../../engine/catalog/train_ir';
import { formatDataError, type DataError } from '../../engine/src/data/data_error';
import { CpuBackend } from '../../engine/src/cpu/backend';
import { setBackend } from '../../engine/src/tensor';
import { createWasmBackend, type WasmResult } from '../../engine/src/wasm/backend';
import { createWasmBackendThreaded } from '../../engine/src/wasm/threads_node';
import { checkText } from '../../server/src/sema/check';
import type { CheckedFile } from '../../server/src/sema/checked';
import { lowerTrain } from '../../server/src/sema/train/lower';
import type { TrainDecl } from '../../server/src/syntax/ast';
import { formatText } from './check_report';
import type { CliIO } from './io';

/** Exit statuses of train and predict (listed in their --help). */
export const EXIT = { ok: 0, modelError: 1, usage: 2, trainingFailed: 3, interrupted: 130 } as const;

/** Diagnostic codes that are about the data rather than the model: exit 2, not 1. */
const DATA_CODES = new Set(['data-error', 'data-mismatch']);

export interface PickedModel {
  path: string;
  checked: CheckedFile;
  ir: ModelIR;
  /** The lowered train block, null when the model has none (predict only). */
  train: TrainIR | null;
}

export type Step<T> = { ok: true; value: T } | { ok: false; status: number };

/** A path as the user should see it: relative to the working directory when inside it. */
export function displayPath(path: string, cwd: string): string {
  if (!path) return path;
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export function printDataError(e: DataError, io: CliIO, command: string): void {
  io.err(`${formatDataError({ ...e, file: e.file ? displayPath(e.file, io.cwd) : `netspec ${command}` })}\n`);
}

/**
 * Reads and checks FILE, then picks the model: `--model NAME`, else the only train block's
 * model (train), else the only model or the one the weights name (predict).
 */
export async function pickModel(file: string, io: CliIO, command: 'train' | 'predict' | 'export', wanted: string | undefined): Promise<Step<PickedModel>> {
  const path = resolve(io.cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    io.err(`${file}: error: cannot read file (${(e as { code?: string }).code ?? 'EIO'})\n`);
    return { ok: false, status: EXIT.usage };
  }
  const checked = checkText(text, { path });
  const trains = checked.file.decls.filter((d): d is TrainDecl => d.kind === 'Train' && d.model !== null);
  let name = wanted;
  if (name === undefined) {
    const names = command === 'train' ? trains.map((t) => t.model!.name) : checked.models.map((m) => m.name);
    if (names.length !== 1) {
      const what = command === 'train' ? 'train blocks' : 'models';
      io.err(names.length === 0
        ? `netspec ${command}: ${file} has no ${command === 'train' ? 'train block' : 'model'}\n`
        : `netspec ${command}: ${file} has ${names.length} ${what} (${names.join(', ')}); pick one with --model NAME\n`);
      return { ok: false, status: EXIT.usage };
    }
    name = names[0];
  }
  const model = checked.models.find((m) => m.name === name);
  const decl = trains.find((t) => t.model!.name === name) ?? null;
  if (!model) {
    io.err(`netspec ${command}: ${file} has no model ${name}; its models are ${checked.models.map((m) => m.name).join(', ') || '(none)'}\n`);
    return { ok: false, status: EXIT.usage };
  }
  if (command === 'train' && !decl) {
    io.err(`netspec train: ${file} has no train block for ${name}; add train ${name} { data = ... }\n`);
    return { ok: false, status: EXIT.usage };
  }
  // The errors that stop this run: the model's own (its IR is null), the train block's, syntax.
  const inside = (s: { start: number }, span: { start: number; end: number } | undefined) => span !== undefined && s.start >= span.start && s.start <= span.end;
  const blocking = checked.diagnostics.filter(
    (d) => d.severity === 'error' && (model.ir === null || d.code === 'syntax' || inside(d.span, model.span) || (command === 'train' && inside(d.span, decl?.span))),
  );
  if (blocking.length > 0 || !model.ir) {
    const lines = formatText(file, text, checked).filter((l) => / error\[/.test(l));
    io.err(lines.length ? lines.join('\n') + '\n' : `netspec ${command}: model ${name} has errors\n`);
    const dataOnly = blocking.length > 0 && blocking.every((d) => DATA_CODES.has(d.code));
    return { ok: false, status: dataOnly ? EXIT.usage : EXIT.modelError };
  }
  const train = decl ? lowerTrain(decl, { path }) : null;
  return { ok: true, value: { path, checked, ir: model.ir, train } };
}

/** The wasm backend on every CPU, else on one thread, else why not. */
export function wasmBackend(): WasmResult {
  const threaded = createWasmBackendThreaded();
  return threaded.ok ? threaded : createWasmBackend();
}

/**
 * Sets the engine's backend. `cpu` is the TypeScript reference (exact semantics, slow);
 * `wasm` the WebAssembly SIMD kernels on the CPU; `webgpu` fails with the reason when the
 * module or an adapter is missing. No choice means WebGPU when a hardware adapter exists,
 * else wasm (a software adapter such as lavapipe counts as none: it is a CPU emulating a
 * GPU), else the reference should WebAssembly SIMD be missing, saying which on stderr.
 * wasm uses every CPU (at most 4; NETSPEC_WASM_THREADS=N to choose), one thread when
 * helper threads cannot start.
 */
export async function chooseBackend(choice: string | undefined, io: CliIO, command: string): Promise<Step<'cpu' | 'wasm' | 'webgpu'>> {
  if (choice !== undefined && choice !== 'cpu' && choice !== 'wasm' && choice !== 'webgpu') {
    io.err(`netspec ${command}: --backend must be webgpu, wasm or cpu, not '${choice}'\n`);
    return { ok: false, status: EXIT.usage };
  }
  if (choice === 'cpu') {
    setBackend(new CpuBackend());
    return { ok: true, value: 'cpu' };
  }
  if (choice === 'wasm') {
    const made = wasmBackend();
    if (!made.ok) {
      io.err(`netspec ${command}: --backend wasm is not available here: ${made.reason}\n`);
      return { ok: false, status: EXIT.usage };
    }
    setBackend(made.backend);
    return { ok: true, value: 'wasm' };
  }
  let reason: string;
  try {
    // Imported lazily: the WebGPU module loads the native Dawn binding.
    const mod = await import('../../engine/src/webgpu/backend');
    const made = await mod.createWebGpuBackend();
    if (made.ok && choice === undefined && made.backend.software) {
      // A software adapter is a CPU emulating a GPU: the wasm kernels on the same CPU are
      // many times faster (MNIST MLP: ~650 samples/s on lavapipe vs ~22,000 on wasm).
      const wasm = wasmBackend();
      if (wasm.ok) {
        made.backend.dispose();
        const threads = wasm.backend.threads;
        io.err(`netspec ${command}: using the wasm backend (WebAssembly SIMD on the CPU, ${threads} thread${threads === 1 ? '' : 's'}): the only WebGPU adapter (${made.backend.description}) is a software renderer, slower than the CPU; --backend webgpu uses it anyway\n`);
        setBackend(wasm.backend);
        return { ok: true, value: 'wasm' };
      }
    }
    if (made.ok) {
      setBackend(made.backend);
      if (choice === undefined) io.err(`netspec ${command}: using the webgpu backend (${made.backend.description})\n`);
      return { ok: true, value: 'webgpu' };
    }
    reason = made.reason;
  } catch (e) {
    reason = `the WebGPU backend could not be loaded (${e instanceof Error ? e.message : String(e)})`;
  }
  if (choice === 'webgpu') {
    io.err(`netspec ${command}: --backend webgpu is not available here: ${reason}\n`);
    return { ok: false, status: EXIT.usage };
  }
  const wasm = wasmBackend();
  if (wasm.ok) {
    const threads = wasm.backend.threads;
    io.err(`netspec ${command}: using the wasm backend (WebAssembly SIMD on the CPU, ${threads} thread${threads === 1 ? '' : 's'}; no WebGPU: ${reason})\n`);
    setBackend(wasm.backend);
    return { ok: true, value: 'wasm' };
  }
  io.err(`netspec ${command}: using the cpu backend (no WebGPU: ${reason}; no WebAssembly SIMD: ${wasm.reason})\n`);
  setBackend(new CpuBackend());
  return { ok: true, value: 'cpu' };
}
