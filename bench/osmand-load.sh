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

# one benchmark at a time on this shared machine
exec 9>/tmp/geoward-bench.lock
if ! flock -n 9; then
    say "waiting for /tmp/geoward-bench.lock (another benchmark is running; at most an hour)"
    flock -w 3600 9 || die "gave up waiting for /tmp/geoward-bench.lock"
fi

needs_build() {
    local jar
    jar=$(ls bench/target/geoward-bench-*.jar 2>/dev/null | head -1)
    [ -z "$jar" ] || [ ! -f bench/target/classpath.txt ] || [ ! -f server/target/runtime-classpath.txt ] && return 0
    [ -n "$(find pom.xml bench/pom.xml bench/src server/pom.xml server/src/main web/pom.xml web/src \
        -newer "$jar" -print -quit 2>/dev/null)" ]
}
if needs_build; then
    say "building (./mvnw -q -o -Pbench -pl bench -am package -DskipTests)"
    ./mvnw -q -o -Pbench -pl bench -am package -DskipTests -Dspotless.check.skip=true
fi
load_cp="bench/target/classes:$(cat bench/target/classpath.txt)"

logs="bench/target/osmand-load/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$logs"

tmp=
server_pid=
stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 120); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
        if kill -0 "$server_pid" 2>/dev/null; then
            say "the server did not stop within 60 s of SIGTERM; killing it"
            kill -KILL "$server_pid" 2>/dev/null || true
        fi
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=
    if [ -n "$tmp" ] && [ -f "$tmp/postgres/data/postmaster.pid" ]; then
        # the server stops its cluster on a graceful stop; after a kill it keeps running
        local pg_ctl
        pg_ctl=$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -1)
        if [ -n "$pg_ctl" ]; then
            if [ "$(id -u)" = 0 ]; then
                runuser -u postgres -- "$pg_ctl" -D "$tmp/postgres/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
            else
                "$pg_ctl" -D "$tmp/postgres/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
            fi
        fi
    fi
    if [ -n "$tmp" ]; then
        [ -f "$tmp/server.log" ] && cp "$tmp/server.log" "$logs/server.log"
        rm -rf "$tmp"
        tmp=
    fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

free_port() {
    local port
    for port in $(shuf -i 20000-40000 -n 50); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    die "no free port found"
}

target_args=()
start_geoward() {
    tmp=$(mktemp -d /tmp/geoward-osmand-load.XXXXXX)
    chmod 755 "$tmp"   # as root, the private cluster runs as user postgres, who must enter this directory
    local api_port osmand_port cp
    api_port=$(free_port)
    osmand_port=$(free_port)
    [ "$osmand_port" != "$api_port" ] || osmand_port=$(free_port)
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$tmp/admin-password")
    cp="$(ls server/target/geoward-server-*.jar | head -1):$(cat server/target/runtime-classpath.txt)"
    say "starting Geoward (data in $tmp, API 127.0.0.1:$api_port, OsmAnd 127.0.0.1:$osmand_port)"
    env -u GEOWARD_DB_URL \
        GEOWARD_DATA_DIR="$tmp" GEOWARD_HOST=127.0.0.1 GEOWARD_PORT="$api_port" \
        GEOWARD_DEVICES_HOST=127.0.0.1 GEOWARD_OSMAND_PORT="$osmand_port" GEOWARD_GT06_PORT=-1 \
        GEOWARD_ADMIN_PASSWORD="$(cat "$tmp/admin-password")" \
        java ${GEOWARD_JAVA_OPTS:-} -cp "$cp" org.geoward.Application >"$tmp/server.log" 2>&1 &
    server_pid=$!
    local up=
    for _ in $(seq 1 360); do
        if ! kill -0 "$server_pid" 2>/dev/null; then
            tail -30 "$tmp/server.log" >&2
            die "the server stopped during start-up (log above)"
        fi
        if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$api_port/health")" = 200 ] &&
            (exec 3<>"/dev/tcp/127.0.0.1/$osmand_port") 2>/dev/null; then
            up=1
            break
        fi
        sleep 0.5
    done
    [ -n "$up" ] || die "the server did not answer /health within 180 s (see $tmp/server.log)"
    local pg_port
    pg_port=$(sed -n 4p "$tmp/postgres/data/postmaster.pid")
    say "Geoward is up (pid $server_pid, PostgreSQL on 127.0.0.1:$pg_port)"
    target_args=(--target geoward --api "http://127.0.0.1:$api_port" --osmand "http://127.0.0.1:$osmand_port"
        --user admin --password-file "$tmp/admin-password"
        --db-url "jdbc:postgresql://127.0.0.1:$pg_port/geoward" --db-user postgres
        --db-password-file "$tmp/postgres/password"
        --server-pid "$server_pid" --pg-data "$tmp/postgres/data")
}

say "load before: $(uptime)"
[ -n "$external" ] || start_geoward

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
