#!/usr/bin/env bash
# The WebGPU tables on a hardware GPU through Dawn's native adapter (the `webgpu` package):
# builds, checks the adapter (fails with exit 2 on a machine without a hardware GPU, or with
# only a software Vulkan driver such as lavapipe), then prints the kernel table
# (engine_bench.ts) with our and TF.js's webgpu GFLOP/s as % of the GPU's fp32 peak, and the
# training table (webgpu_rows.ts: TF.js webgpu, our step, our loop reading every step and
# every 50 steps). Untested on a real GPU (written on a machine without one; bench/README.md).
# Usage: bench/gpu.sh [runs]   (NETSPEC_GPU_PEAK_GFLOPS overrides the datasheet peak)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"

npm run build >/dev/null

if ! info="$(node --import tsx bench/gpu_adapter.ts)"; then
  echo "bench/gpu.sh: stopping: no hardware WebGPU adapter (see the line above)" >&2
  exit 2
fi
adapter="${info%%$'\t'*}"
peak="${info##*$'\t'}"
echo "adapter: $adapter; fp32 peak $peak GFLOP/s"

log="$(mktemp)"
node --import tsx bench/engine_bench.ts | tee "$log"
echo
echo "webgpu kernels as % of the fp32 peak ($peak GFLOP/s)"
# Rows of the engine table whose second column is "webgpu": ours in column 3, TF.js's in column 5.
awk -v peak="$peak" '
  $0 ~ /^engine throughput/ { on = 1; next }
  on && NF == 0 { on = 0 }
  on {
    n = split($0, c, /  +/)
    if (c[2] == "webgpu") printf "%-40s ours %10s GFLOP/s %6.2f%%   tfjs webgpu %10s GFLOP/s %6.2f%%\n", c[1], c[3], 100 * c[3] / peak, c[5], 100 * c[5] / peak
  }' "$log"
rm -f "$log"
echo
node --import tsx bench/webgpu_rows.ts "$runs"
