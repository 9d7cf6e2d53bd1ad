#!/usr/bin/env bash
# Installs dependencies (ops/setup.sh) and builds everything into ./build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ops/setup.sh
launcher=()
# ccache, when a developer has it, makes rebuilds and extra worktrees cheap;
# CI does not need it.
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$PWD")}" CCACHE_NOHASHDIR=1
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" "${launcher[@]}" >/dev/null
cmake --build build -- -j"$(nproc)"
