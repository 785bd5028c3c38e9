#!/usr/bin/env bash
# A private single-node Kafka broker (KRaft: broker and controller in one JVM) from Maven Central's jars, for the
# tests and for `./geoward demo --nodes N`. Not for production: see docs/cluster.md.
#
#   kafka/broker.sh start DIR PORT   format DIR on first use, start, wait until PORT answers (the controller takes PORT+1)
#   kafka/broker.sh stop DIR         SIGTERM (a clean stop takes ~3 s), SIGKILL after 30 s
#   kafka/broker.sh classpath        resolve the broker's jars into kafka/target/kafka-classpath.txt
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
classpath_file=$here/target/kafka-classpath.txt
say() { printf 'kafka: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

classpath() {
    if [ ! -s "$classpath_file" ]; then
        say "resolving the broker's jars (once) into $classpath_file"
        (cd "$here/.." && { ./mvnw -o -q -f kafka/pom.xml dependency:build-classpath -Dmdep.outputFile=target/kafka-classpath.txt >/dev/null 2>&1 ||
            ./mvnw -q -f kafka/pom.xml dependency:build-classpath -Dmdep.outputFile=target/kafka-classpath.txt; }) ||
            die "could not resolve the Kafka broker's jars (kafka/pom.xml)"
    fi
    cat "$classpath_file"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
    local dir=${1:?start needs a directory} port=${2:?start needs a port} cp
    local cport=$((port + 1))
    cp=$(classpath)
    mkdir -p "$dir/data"
    if [ -f "$dir/broker.pid" ] && kill -0 "$(cat "$dir/broker.pid")" 2>/dev/null; then
        say "already running (pid $(cat "$dir/broker.pid"))"
        return
    fi
    cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=2000
log.cleaner.dedupe.buffer.size=16777216
PROPS
    if [ ! -f "$dir/data/meta.properties" ]; then
        local uuid
        uuid=$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
        java -cp "$cp" kafka.tools.StorageTool format -t "$uuid" -c "$dir/server.properties" --standalone \
            >"$dir/format.log" 2>&1 || { cat "$dir/format.log" >&2; die "formatting $dir failed"; }
    fi
    nohup java -Xms256m -Xmx256m -Dlog4j2.level=INFO -cp "$cp" kafka.Kafka "$dir/server.properties" \
        >>"$dir/broker.log" 2>&1 </dev/null &
    echo $! >"$dir/broker.pid"
    for _ in $(seq 1 240); do
        kill -0 "$(cat "$dir/broker.pid")" 2>/dev/null || { tail -30 "$dir/broker.log" >&2; die "the broker stopped during start-up"; }
        port_open "$port" && { say "broker on 127.0.0.1:$port (pid $(cat "$dir/broker.pid"), log $dir/broker.log)"; return; }
        sleep 0.25
    done
    die "the broker did not open port $port within 60 s (see $dir/broker.log)"
}

stop() {
    local dir=${1:?stop needs a directory} pid
    [ -f "$dir/broker.pid" ] || return 0
    pid=$(cat "$dir/broker.pid")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/broker.pid"
}

case "${1:-}" in
    start) shift; start "$@" ;;
    stop) shift; stop "$@" ;;
    classpath) classpath >/dev/null; echo "$classpath_file" ;;
    *) sed -n '2,9p' "$0" >&2; exit 2 ;;
esac
