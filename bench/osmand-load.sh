#!/usr/bin/env bash
# Runs the OsmAnd load generator (org.geoward.bench.load.OsmAndLoad) for a few rounds and prints the median and the
# spread. By default it starts a fresh Geoward on a private PostGIS in a temporary data directory, and removes both
# afterwards; with --external it starts nothing and loads the target the generator options name. See bench/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

usage() {
    cat <<'USAGE'
Usage: bench/osmand-load.sh [--rounds 3] [--warmup-round-seconds 30] [--external] [--verbose] [generator options]

  --rounds N     rounds of the generator, each with its own devices and fences (default 3)
  --warmup-round-seconds S
                 first run one round of S seconds that is not counted, so that the server's JIT has
                 compiled the ingest path before the counted rounds (default 30; 0 skips it)
  --external     start nothing: load the server the generator options point at, e.g. a Traccar:
                   bench/osmand-load.sh --external --target traccar --api http://127.0.0.1:8082 \
                       --osmand http://127.0.0.1:5055 --user admin --password-file traccar-pw \
                       --server-pid "$(pgrep -f tracker-server.jar)"
  --verbose      show the generator's per-second lines too (they are always in the round logs)
  generator options, passed on as they are (see bench/README.md): --seconds 30, --fixes N,
                 --warmup-seconds 5, --devices 200, --fences 10, --connections 32, ...

Environment: GEOWARD_JAVA_OPTS (the Geoward server JVM), LOAD_JAVA_OPTS (the generator JVM,
default -Xmx256m -XX:+UseSerialGC). Takes /tmp/geoward-bench.lock for the whole run.
USAGE
}

say() { printf 'osmand-load: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

rounds=3
warmup_round=30
external=
verbose=
gen_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds=${2:?--rounds needs a number}; shift 2 ;;
        --warmup-round-seconds) warmup_round=${2:?--warmup-round-seconds needs a number}; shift 2 ;;
        --external) external=1; shift ;;
        --verbose) verbose=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) gen_args+=("$1"); shift ;;
    esac
done
[[ "$rounds" =~ ^[1-9][0-9]?$ ]] || die "--rounds must be 1 to 99"
[[ "$warmup_round" =~ ^[0-9]{1,3}$ ]] || die "--warmup-round-seconds must be 0 to 999"

bench_name=osmand-load

# shellcheck source=bench/geoward-server.sh
. bench/geoward-server.sh
load_cp="bench/target/classes:$(cat bench/target/classpath.txt)"

logs="bench/target/osmand-load/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$logs"

say "load before: $(uptime)"
target_args=()
if [ -z "$external" ]; then
    start_geoward
    target_args=(--target geoward --osmand "$osmand_url" "${server_args[@]}")
fi

# runs the generator once; its output goes to $1, the rest of the arguments are appended to the generator's
generate() {
    local log=$1
    shift
    set +e
    # shellcheck disable=SC2086
    java ${LOAD_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC} -cp "$load_cp" org.geoward.bench.load.OsmAndLoad \
        ${target_args[@]+"${target_args[@]}"} ${gen_args[@]+"${gen_args[@]}"} "$@" >"$log" 2>&1
    rc=$?
    set -e
    if [ -n "$verbose" ]; then cat "$log"; else grep -E '^(SETUP|WARMUP|LOAD|NOTE|!!!)' "$log" || true; fi
    line=$(grep '^LOAD ' "$log" | tail -1 || true)
    if [ -z "$line" ]; then
        tail -20 "$log" >&2
        die "the generator printed no LOAD line (exit $rc; log $log)"
    fi
}

worst=0
if [ "$warmup_round" -gt 0 ]; then
    say "warm-up round of $warmup_round s (not counted)"
    generate "$logs/warmup-round.log" --run-id "w$(date +%H%M%S)" --seconds "$warmup_round" --fixes 0 \
        --warmup-seconds 0
    [ "$rc" -le "$worst" ] || worst=$rc
    echo "warm-up round: $line"
fi

lines=()
for round in $(seq 1 "$rounds"); do
    generate "$logs/round-$round.log" --run-id "r$round$(date +%H%M%S)"
    [ "$rc" -le "$worst" ] || worst=$rc
    lines+=("$line")
    echo "round $round: $line"
done

field() { sed -n "s|.* $1=\([^ ]*\).*|\1|p" | sed 's/ms$//'; }
summary() {
    # median and min-max of one LOAD field over the rounds
    local name=$1 values
    values=$(printf '%s\n' "${lines[@]}" | field "$name" | grep -v '^NA$' | sort -g)
    [ -n "$values" ] || { echo "$name: NA"; return; }
    echo "$values" | awk -v name="$name" '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%s: median %s, min %s, max %s, spread %.0f %% of the median (%d rounds)\n",
            name, m, v[1], v[NR], (m != 0 ? 100 * (v[NR] - v[1]) / m : 0), NR }'
}
echo
for name in fixes/s p50 p99 cpu_jvm_us_per_fix cpu_pg_us_per_fix cpu_gen_us_per_fix machine_busy_pct others_pct; do
    summary "$name"
done
missing=$(printf '%s\n' "${lines[@]}" | field missing | awk '{ s += $1 } END { print s + 0 }')
echo "missing (acked but not stored), counted rounds: $missing"
[ "$worst" != 3 ] || echo "!!!!!!!! some round, perhaps the warm-up round, acked fixes that were not stored: see the logs"
say "load after: $(uptime)"
say "logs in $logs"
exit "$worst"
