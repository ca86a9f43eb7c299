#!/usr/bin/env bash
# `make check-lock`: requirements.lock resolves, as it stands, for the
# platforms readers use: Linux x86_64 and aarch64, macOS on Apple silicon
# (macOS 14, the oldest torch 2.13 supports there) and Windows x86_64.
# uv reads the packages' metadata from the index; no wheel is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-.venv/bin/uv}
for platform in x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu \
    aarch64-apple-darwin x86_64-pc-windows-msvc; do
  MACOSX_DEPLOYMENT_TARGET=14.0 "$UV" pip compile requirements.lock \
    --python-platform "$platform" --python-version 3.11 --quiet -o /dev/null
  echo "requirements.lock resolves for $platform"
done
