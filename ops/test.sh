#!/usr/bin/env bash
# README command (b): set up, build, and run the whole test suite.
# CTest labels: `slow` (crash tests with real processes), `kafka` (need the real
# broker). The broker (ops/kafka/kafka.sh) is started before ctest and stopped
# afterwards, also when a test fails or the run is interrupted; the Kafka tests
# find it through LEDGER_TEST_KAFKA and fail when it is not set.
# `ops/test.sh -LE 'slow|kafka'` is the quick loop; extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ops/build.sh
trap 'bash ops/kafka/kafka.sh stop' EXIT
bash ops/kafka/kafka.sh start
export LEDGER_TEST_KAFKA="127.0.0.1:${LEDGER_KAFKA_PORT:-9092}"
ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
