#!/usr/bin/env bash
# Prepares a Python virtual environment with PyTorch for the PyTorch export tests
# (test/integration/export_pytorch.test.ts) in .cache/torch-venv. It installs from local
# wheels only (pip's find-links folder, $PIP_FIND_LINKS, default /opt/wheels); with no
# wheel there it says so and exits 0, and the tests then run their checks without torch.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=.cache/torch-venv
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import torch' >/dev/null 2>&1; then
  echo "torch_setup: $VENV already has torch $("$VENV/bin/python" -c 'import torch; print(torch.__version__)')"
  exit 0
fi
if ! command -v python3 >/dev/null; then
  echo "torch_setup: WARNING: no python3; the PyTorch export tests will skip their Python checks" >&2
  exit 0
fi
mkdir -p .cache
python3 -m venv --system-site-packages "$VENV" || { echo "torch_setup: WARNING: cannot create $VENV" >&2; exit 0; }
export PIP_FIND_LINKS="${PIP_FIND_LINKS:-/opt/wheels}"
if ! "$VENV/bin/pip" install -q --no-index --no-deps torch; then
  echo "torch_setup: WARNING: no torch wheel in $PIP_FIND_LINKS; the PyTorch export tests will run without torch (py_compile and structure checks only)" >&2
  exit 0
fi
"$VENV/bin/python" -c 'import torch; print("torch_setup: torch", torch.__version__)'
