# Shared by bench/osmand-load.sh and bench/json-load.sh (sourced, not run): takes /tmp/geoward-bench.lock, builds the bench if needed, starts a
# fresh Geoward on a private, durable PostGIS in a temporary data directory (start_geoward), and stops it and removes
# the directory again (stop_server; the server log is copied to $logs first). The caller defines say, die and logs,
# and may set bench_name (the temporary directory's prefix). After start_geoward, server_args holds the options
# that point a generator at this server (--api --user --password-file --db-url --db-user --db-password-file
# --server-pid --pg-data) and osmand_url its OsmAnd listener.

# one benchmark at a time on this shared machine: the lock is taken before anything is built or started
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

server_args=()
osmand_url=
start_geoward() {
    tmp=$(mktemp -d "/tmp/geoward-${bench_name:-bench}.XXXXXX")
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
    osmand_url="http://127.0.0.1:$osmand_port"
    server_args=(--api "http://127.0.0.1:$api_port"
        --user admin --password-file "$tmp/admin-password"
        --db-url "jdbc:postgresql://127.0.0.1:$pg_port/geoward" --db-user postgres
        --db-password-file "$tmp/postgres/password"
        --server-pid "$server_pid" --pg-data "$tmp/postgres/data")
}

