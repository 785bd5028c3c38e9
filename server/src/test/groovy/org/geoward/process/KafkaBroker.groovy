package org.geoward.process

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * A real single-node Kafka broker (KRaft) started from Maven Central's jars by {@code kafka/broker.sh}, as
 * {@code ./geoward demo --nodes N} starts it: a directory of its own, a free port (the controller takes the next).
 * {@link #stop} is a clean SIGTERM, {@link #start} again keeps the topics. {@link #close} stops it and removes the
 * directory. Not thread-safe.
 */
class KafkaBroker implements Closeable {
    static final Path SCRIPT = Path.of("..", "kafka", "broker.sh").toAbsolutePath().normalize()

    final Path dir = Files.createTempDirectory("geoward-kafka")
    final int port = freePortPair()

    String getBootstrap() { "127.0.0.1:$port" }

    /** Starts the broker (formatting its directory the first time) and waits until its port answers. */
    void start() {
        run(300, "start", dir.toString(), port as String)
    }

    /** Stops the broker with SIGTERM and waits for it. */
    void stop() {
        run(60, "stop", dir.toString())
    }

    Path log() { dir.resolve("broker.log") }

    @Override
    void close() {
        stop()
        dir.toFile().deleteDir()
    }

    private void run(int seconds, String... args) {
        Path output = Files.createTempFile("geoward-kafka", ".out")
        try {
            def process = new ProcessBuilder([SCRIPT.toString()] + args.toList())
                    .redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(new File("/dev/null")).start()
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly()
                throw new AssertionError("kafka/broker.sh ${args.join(' ')} took more than $seconds s:\n" + Files.readString(output))
            }
            assert process.exitValue() == 0: "kafka/broker.sh ${args.join(' ')}:\n" + Files.readString(output)
        } finally {
            Files.deleteIfExists(output)
        }
    }

    /** A free port whose successor is free too, both below the ephemeral range (see {@link ServerProcess#freePort}). */
    private static int freePortPair() {
        for (int i = 0; i < 50; i++) {
            int p = ServerProcess.freePort()
            if (p < 65535 && ServerProcess.isFree(p + 1)) {
                return p
            }
        }
        throw new IllegalStateException("no two free ports in a row")
    }
}
