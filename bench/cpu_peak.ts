// A rough estimate of the machine's theoretical float32 peak, printed in the engine
// benchmarks' headers so their GFLOP/s and samples/s have a scale. It multiplies what
// Linux reports (logical CPUs from os.availableParallelism, which `nproc` also counts; the
// clock from /proc/cpuinfo; the vector width from its avx512f/avx2 flags) by two FMA units
// per core and two flops per FMA. It is an estimate: turbo clocks, the real number of FMA
// ports, hyperthreads sharing them and AVX-512 frequency drops all move the true figure.

import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export interface CpuPeak {
  cores: number;
  ghz: number;
  /** float32 lanes per vector: 16 with AVX-512, 8 with AVX2, 4 otherwise (SSE/NEON). */
  lanes: number;
  isa: string;
  fmaUnits: number;
  gflops: number;
}

/** The estimate from /proc/cpuinfo and the CPU count; null fields fall back to 1 GHz / 4 lanes. */
export function cpuPeak(): CpuPeak {
  let info = '';
  try {
    info = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // Not Linux: the defaults below stand in.
  }
  const flags = new Set((/^(?:flags|Features)\s*:\s*(.*)$/m.exec(info)?.[1] ?? '').split(/\s+/));
  const mhz = Number(/^cpu MHz\s*:\s*([\d.]+)/m.exec(info)?.[1]);
  const ghz = Number.isFinite(mhz) && mhz > 0 ? mhz / 1000 : 1;
  const [lanes, isa] = flags.has('avx512f') ? [16, 'avx512f'] : flags.has('avx2') ? [8, 'avx2'] : [4, '128-bit'];
  const cores = availableParallelism();
  const fmaUnits = 2;
  return { cores, ghz, lanes, isa, fmaUnits, gflops: cores * ghz * fmaUnits * lanes * 2 };
}

/** One line for a benchmark header. */
export function cpuPeakLine(): string {
  const p = cpuPeak();
  return (
    `cpu fp32 peak (estimate): ${p.cores} cores x ${p.ghz.toFixed(2)} GHz x ${p.fmaUnits} FMA units x ${p.lanes} lanes (${p.isa}) x 2 flops/FMA` +
    ` = ${p.gflops.toFixed(0)} GFLOP/s (theoretical; assumes ${p.fmaUnits} FMA ports and no clock drop)`
  );
}
