#!/usr/bin/env bash
# README command (b): set up, build, and run the whole test suite.
# CTest labels: `slow` (crash tests with real processes). `ops/test.sh -LE slow`
# skips them for a quick loop; extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ops/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
