// Turning WebGPU's asynchronous failures into errors the engine can report. Errors in
// WebGPU surface late (an error scope resolves, `device.lost` settles, an uncaptured
// error event fires); this tracker keeps error scopes open around all device work, cycles
// them at every submit, and hands whatever they caught to the next `download`, which
// rejects with a clear message instead of returning wrong numbers or hanging.

export type GpuErrorKind = 'lost' | 'validation' | 'out-of-memory' | 'internal';

/** A WebGPU failure as the engine sees it: a kind and a message saying what happened. */
export class WebGpuError extends Error {
  constructor(
    readonly kind: GpuErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'WebGpuError';
  }
}

const FILTERS: GPUErrorFilter[] = ['out-of-memory', 'validation', 'internal'];

function kindOf(error: GPUError): GpuErrorKind {
  const name = error.constructor?.name ?? '';
  if (/OutOfMemory/i.test(name)) return 'out-of-memory';
  if (/Internal/i.test(name)) return 'internal';
  return 'validation';
}

function describeError(kind: GpuErrorKind, text: string): WebGpuError {
  const what = kind === 'out-of-memory' ? 'WebGPU ran out of memory' : kind === 'internal' ? 'WebGPU internal error' : 'WebGPU validation error';
  return new WebGpuError(kind, `${what}: ${text.trim()}`);
}

export class ErrorTracker {
  private pending: Promise<WebGpuError | null>[] = [];
  private caught: WebGpuError[] = [];
  private lostError: WebGpuError | null = null;
  /** Settles (never rejects) when the device is lost. */
  readonly lost: Promise<WebGpuError>;

  constructor(private readonly device: GPUDevice) {
    this.lost = device.lost.then((info) => {
      const reason = info.reason === 'destroyed' ? 'the device was destroyed' : 'the device was lost';
      this.lostError = new WebGpuError('lost', `WebGPU device lost: ${reason}${info.message ? ` (${info.message.trim()})` : ''}`);
      return this.lostError;
    });
    device.addEventListener('uncapturederror', (event) => {
      const error = (event as GPUUncapturedErrorEvent).error;
      this.caught.push(describeError(kindOf(error), error.message));
    });
    this.open();
  }

  /** The loss, once the device is gone. */
  get lostReason(): WebGpuError | null {
    return this.lostError;
  }

  private open(): void {
    for (const f of FILTERS) this.device.pushErrorScope(f);
  }

  /** Closes the open scopes (keeping their results for `check`) and opens new ones. */
  cycle(): void {
    for (let i = 0; i < FILTERS.length; i++) {
      this.pending.push(
        this.device.popErrorScope().then(
          (e) => (e ? describeError(kindOf(e), e.message) : null),
          () => null,
        ),
      );
    }
    this.open();
  }

  /** Records a failure seen directly (a rejected mapAsync). */
  record(error: WebGpuError): void {
    this.caught.push(error);
  }

  /** Resolves to the first error since the last check (then forgets it), or null. */
  async check(): Promise<WebGpuError | null> {
    const pending = this.pending;
    this.pending = [];
    const results = await Promise.race([Promise.all(pending), this.lost.then(() => [] as (WebGpuError | null)[])]);
    if (this.lostError) return this.lostError;
    const all = [...this.caught, ...results.filter((e): e is WebGpuError => e !== null)];
    this.caught = [];
    return all[0] ?? null;
  }
}
