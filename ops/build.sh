#!/usr/bin/env bash
# Installs dependencies (ops/setup.sh) and builds everything into ./build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ops/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build build -- -j"$(nproc)"
