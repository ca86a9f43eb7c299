#!/usr/bin/env bash
# `make lock`: resolve requirements.txt (the ranges) into requirements.lock,
# one universal lock for every platform a reader may use (Linux, macOS,
# Windows), with environment markers where a package differs by platform.
# uv keeps the versions the current lock already pins where they still fit
# the ranges, so refreshing the lock does not move the stored outputs by
# accident. `make check-lock` checks that it resolves on each platform.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-.venv/bin/uv}
# torch's CUDA libraries (nvidia-*, triton) are left out: on Linux pip takes
# them from torch's own metadata if it installs the CUDA build (README.md).
cp requirements.lock requirements.lock.new  # the versions to keep where they fit
"$UV" pip compile requirements.txt --universal --python-version 3.11 \
  --no-emit-package companion --no-header --no-annotate \
  $(for p in nvidia-cublas nvidia-cuda-cupti nvidia-cuda-nvrtc \
      nvidia-cuda-runtime nvidia-cudnn-cu13 nvidia-cufft nvidia-cufile \
      nvidia-curand nvidia-cusolver nvidia-cusparse nvidia-cusparselt-cu13 \
      nvidia-nccl-cu13 nvidia-nvjitlink nvidia-nvshmem-cu13 nvidia-nvtx \
      triton cuda-bindings cuda-pathfinder cuda-toolkit; do echo --no-emit-package "$p"; done) \
  -o requirements.lock.new --quiet
{
  echo "# Exact versions of everything requirements.txt resolves to (Python 3.11), on"
  echo "# Linux, macOS and Windows (environment markers where they differ)."
  echo "# Made by \`make lock\` (tools/lock.sh, uv); installed by \`make venv\`. Do not edit by hand."
  grep -v '^-e ' requirements.lock.new
} > requirements.lock
rm requirements.lock.new
echo "wrote requirements.lock ($(grep -vc '^#' requirements.lock) packages)"
