#!/usr/bin/env bash
# Fixes/s and CPU per fix: single node, one cluster node, two cluster nodes (ClusterBenchmarkSpec; docs/benchmarks.md).
#   bench/cluster-bench.sh [FIXES [ROUNDS]]     default 60000 fixes per round, 3 counted rounds (+1 warm-up) per case
#   GEOWARD_BENCH_JFR=DIR bench/cluster-bench.sh ...   also a flight recording of each node JVM in DIR
set -euo pipefail
cd "$(dirname "$0")/.."
GEOWARD_BENCH=1 GEOWARD_BENCH_FIXES=${1:-60000} GEOWARD_BENCH_ROUNDS=${2:-3} ./mvnw -o test -pl server \
    -Dtest=ClusterBenchmarkSpec -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true \
    | grep -E 'ClusterBenchmarkSpec|fixes/s|median|threads|Tests run|FAIL'
