// Acquiring a GPUDevice where the engine happens to run: in a browser or a worker from
// `navigator.gpu`; in Node (the CLI, the editor's child process, tests) from Dawn through
// the `webgpu` npm package, loaded lazily so bundles that never train on the GPU never load
// its native module. Every failure is returned as a value that says why and what to
// install; nothing here throws. This folder is the only place that names WebGPU types.

/** A device ready for compute, with what the backend needs to know about its adapter. */
export interface AcquiredDevice {
  device: GPUDevice;
  adapter: GPUAdapter;
  /** "vendor / architecture / device / description" of the adapter, for logs and benchmarks. */
  description: string;
  /** True for CPU implementations of WebGPU (lavapipe, SwiftShader, WARP). */
  software: boolean;
  /** The GPU object that made the adapter; held so a native instance outlives its device. */
  gpu: GPU;
}

export type DeviceResult = { ok: true; value: AcquiredDevice } | { ok: false; reason: string };

export interface DeviceOptions {
  /** Dawn toggles for the Node `create()` call, e.g. ['backend=opengles']. */
  dawnFlags?: string[];
  /** Passed to requestAdapter (compatibility mode for GL backends). */
  featureLevel?: 'core' | 'compatibility';
  powerPreference?: GPUPowerPreference;
}

/** The limits worth raising from WebGPU's defaults to the adapter's own values. */
const RAISED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
] as const;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** Loads a module by a name hidden from bundlers, so they neither inline nor resolve it. */
async function importLazily(name: string): Promise<unknown> {
  return import(/* @vite-ignore */ name);
}

/** Where the GPU object comes from: the page's navigator, else Dawn in Node. */
async function findGpu(options: DeviceOptions): Promise<{ ok: true; gpu: GPU } | { ok: false; reason: string }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { ok: true, gpu: nav.gpu };
  if (!isNode()) return { ok: false, reason: 'no WebGPU: this browser or worker has no navigator.gpu' };
  if (!process.env.XDG_RUNTIME_DIR) {
    // Dawn's Vulkan loader warns without a runtime folder; any writable folder silences it.
    try {
      const os = (await importLazily('node:os')) as { tmpdir(): string };
      process.env.XDG_RUNTIME_DIR = os.tmpdir();
    } catch {
      // Only a warning is at stake.
    }
  }
  try {
    const mod = (await importLazily('webgpu')) as { create: (flags: string[]) => GPU };
    return { ok: true, gpu: mod.create(options.dawnFlags ?? []) };
  } catch (e) {
    return { ok: false, reason: `no WebGPU: the 'webgpu' package (Dawn for Node) could not be loaded: ${message(e)}` };
  }
}

/** Says why Dawn found no adapter, from what is installed. */
async function explainNoAdapter(): Promise<string> {
  if (!isNode()) return 'no WebGPU adapter: the browser offers none (Chromium needs --enable-unsafe-webgpu on Linux)';
  if (process.platform !== 'linux') return `no WebGPU adapter: Dawn found no usable ${process.platform === 'win32' ? 'D3D12' : 'Metal'} device`;
  try {
    const fs = (await importLazily('node:fs')) as { existsSync(p: string): boolean };
    const dirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib'];
    if (!dirs.some((d) => fs.existsSync(`${d}/libvulkan.so.1`))) {
      return 'no WebGPU adapter: libvulkan not found — install libvulkan1 and mesa-vulkan-drivers (on Debian bookworm from bookworm-backports; Mesa 22 is too old for Dawn)';
    }
    const named = (process.env.VK_ICD_FILENAMES ?? process.env.VK_DRIVER_FILES ?? '').split(':').filter((f) => f);
    if (named.length > 0 && !named.some((f) => fs.existsSync(f))) {
      return `no WebGPU adapter: VK_ICD_FILENAMES names no existing Vulkan driver (${named.join(', ')}) — unset it or install mesa-vulkan-drivers from bookworm-backports`;
    }
    const icds = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'];
    if (!process.env.VK_ICD_FILENAMES && !icds.some((d) => fs.existsSync(d))) {
      return 'no WebGPU adapter: libvulkan is installed but no Vulkan driver (ICD) is — install mesa-vulkan-drivers from bookworm-backports';
    }
  } catch {
    // Fall through to the generic reason.
  }
  return 'no WebGPU adapter: Dawn rejected every Vulkan driver (Debian bookworm\'s Mesa 22 lacks features Dawn needs — install mesa-vulkan-drivers from bookworm-backports)';
}

function describe(adapter: GPUAdapter): { description: string; software: boolean } {
  const info = adapter.info;
  const parts = [info?.vendor, info?.architecture, info?.device, info?.description].filter((s) => s);
  const description = parts.join(' / ') || 'unknown adapter';
  const fallback = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true
    || (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter === true;
  const software = fallback || /llvmpipe|lavapipe|swiftshader|software|warp/i.test(description);
  return { description, software };
}

/** Acquires a device with the adapter's own limits; never throws. */
export async function acquireDevice(options: DeviceOptions = {}): Promise<DeviceResult> {
  try {
    const found = await findGpu(options);
    if (!found.ok) return found;
    const adapter = await found.gpu.requestAdapter({
      powerPreference: options.powerPreference,
      ...(options.featureLevel ? { featureLevel: options.featureLevel } : {}),
    } as GPURequestAdapterOptions);
    if (!adapter) return { ok: false, reason: await explainNoAdapter() };
    const requiredLimits: Record<string, number> = {};
    for (const name of RAISED_LIMITS) {
      const v = (adapter.limits as unknown as Record<string, number | undefined>)[name];
      if (typeof v === 'number') requiredLimits[name] = v;
    }
    const device = await adapter.requestDevice({ requiredLimits });
    const { description, software } = describe(adapter);
    return { ok: true, value: { device, adapter, description, software, gpu: found.gpu } };
  } catch (e) {
    return { ok: false, reason: `no WebGPU device: ${message(e)}` };
  }
}
