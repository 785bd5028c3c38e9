#!/usr/bin/env bash
# Runs the JSON load generator (org.geoward.bench.load.JsonLoad) against a fresh Geoward on a private PostGIS, as
# bench/osmand-load.sh does: interleaved rounds of POST /api/sightings batches against a binary COPY of the same kind
# of rows into sighting, then fix -> alert on SSE at half the HTTP rate; then, as a labelled diagnosis, the same
# rounds in a second world whose fences stand 20 km away from every walk. See bench/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

usage() {
    cat <<'USAGE'
Usage: bench/json-load.sh [--no-away] [--verbose] [generator options]

  --no-away      skip the diagnosis run with the fences away from every walk
  --verbose      show the generator's whole output (it is always in the logs)
  generator options, passed on to both runs (see bench/README.md): --wards 1000, --fences 10, --senders 4,
                 --batch 500, --rounds 5, --round-batches 200, --warmup-batches 200, --probes 250,
                 --probe-rate 8, --latency-rate R, ...

Environment: GEOWARD_JAVA_OPTS (the Geoward server JVM, e.g. -XX:StartFlightRecording=...), LOAD_JAVA_OPTS (the
generator JVM, default -Xmx512m). Takes /tmp/geoward-bench.lock for the whole run.
USAGE
}

say() { printf 'json-load: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

away=1
verbose=
gen_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --no-away) away=; shift ;;
        --verbose) verbose=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) gen_args+=("$1"); shift ;;
    esac
done

bench_name=json-load

# shellcheck source=bench/geoward-server.sh
. bench/geoward-server.sh
load_cp="bench/target/classes:$(cat bench/target/classpath.txt)"

logs="bench/target/json-load/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$logs"

say "load before: $(uptime)"
start_geoward

worst=0
# runs the generator once; its output goes to $1, the rest of the arguments are appended to the generator's
generate() {
    local log=$1 rc
    shift
    set +e
    # shellcheck disable=SC2086
    java ${LOAD_JAVA_OPTS:--Xmx512m} -cp "$load_cp" org.geoward.bench.load.JsonLoad \
        "${server_args[@]}" ${gen_args[@]+"${gen_args[@]}"} "$@" >"$log" 2>&1
    rc=$?
    set -e
    if [ -n "$verbose" ]; then cat "$log"; else grep -E '^(SETUP|WARMUP|ROUND|SUMMARY|LATENCY|CHECK|NOTE|!!!)' "$log" || true; fi
    if ! grep -q '^CHECK ' "$log"; then
        tail -20 "$log" >&2
        say "the generator ended without a CHECK line (exit $rc; log $log)"
    fi
    [ "$rc" -le "$worst" ] || worst=$rc
}

say "the rounds and the latency phase (fences on the walks)"
generate "$logs/on-the-walks.log" --run-id "j$(date +%H%M%S)"
if [ -n "$away" ]; then
    say "diagnosis: the same rounds in a second world, its fences 20 km from every walk (no latency phase)"
    generate "$logs/fences-away.log" --run-id "a$(date +%H%M%S)" --fences-away true --probes 0
fi
say "load after: $(uptime)"
say "logs in $logs"
exit "$worst"
