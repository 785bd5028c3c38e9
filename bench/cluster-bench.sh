#!/usr/bin/env bash
# Fixes/s and CPU per fix: single node, one cluster node, two cluster nodes (ClusterBenchmarkSpec; docs/benchmarks.md).
#   bench/cluster-bench.sh [FIXES]     default 60000
set -euo pipefail
cd "$(dirname "$0")/.."
GEOWARD_BENCH=1 GEOWARD_BENCH_FIXES=${1:-60000} ./mvnw -o test -pl server -Dtest=ClusterBenchmarkSpec \
    -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true | grep -E 'ClusterBenchmarkSpec|fixes/s|Tests run|FAIL'
