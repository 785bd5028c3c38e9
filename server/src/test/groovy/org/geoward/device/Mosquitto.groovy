package org.geoward.device

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import org.eclipse.paho.client.mqttv3.MqttClient
import org.eclipse.paho.client.mqttv3.MqttConnectOptions
import org.eclipse.paho.client.mqttv3.MqttMessage
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence

/**
 * A real Eclipse Mosquitto broker (Debian's {@code mosquitto} 2.0) for the specs, configured as docs/operations.md
 * tells an operator: loopback only, no anonymous clients, a password per phone, an ACL that lets each user publish
 * only under {@code owntracks/<user>/} and Geoward read everything, and persistence on, so that a restart keeps the
 * queued messages of persistent sessions. Restartable on the same port. {@link #close} stops it and removes its
 * directory.
 */
class Mosquitto implements Closeable {
    static final String BINARY = "/usr/sbin/mosquitto"

    final Path dir
    final int port
    final Map<String, String> users
    Process process

    /** A broker with these users (name → password); not started. */
    Mosquitto(Map<String, String> users) {
        assert new File(BINARY).canExecute(): "mosquitto is missing: apt-get install mosquitto (./geoward test does)"
        this.users = users
        this.dir = Files.createTempDirectory("geoward-mosquitto")
        this.port = org.geoward.process.ServerProcess.freePort()
        Path passwd = dir.resolve("passwd")
        Files.writeString(passwd, "")
        users.each { name, password ->
            def p = new ProcessBuilder("mosquitto_passwd", "-b", passwd.toString(), name, password)
                    .redirectErrorStream(true).start()
            assert p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0: "mosquitto_passwd: ${p.text}"
        }
        Files.writeString(dir.resolve("acl"), """\
            user geoward
            topic read owntracks/#
            pattern write owntracks/%u/#
            """.stripIndent())
        Files.writeString(dir.resolve("mosquitto.conf"), """\
            listener $port 127.0.0.1
            allow_anonymous false
            password_file ${passwd}
            acl_file ${dir.resolve('acl')}
            persistence true
            persistence_location ${dir}/
            max_queued_messages 100000
            log_dest file ${dir.resolve('mosquitto.log')}
            log_type error
            log_type warning
            log_type notice
            log_type information
            ${System.getProperty('user.name') == 'root' ? 'user root' : ''}
            """.stripIndent())
    }

    String getUrl() { "tcp://127.0.0.1:$port" }

    /** Starts the broker and waits (up to 30 s) until it takes connections. */
    void start() {
        process = new ProcessBuilder(BINARY, "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
                .start()
        long deadline = System.currentTimeMillis() + 30_000
        while (System.currentTimeMillis() < deadline) {
            assert process.alive: "mosquitto exited: ${log()}"
            try {
                new Socket("127.0.0.1", port).close()
                return
            } catch (IOException ignored) {
                Thread.sleep(100)
            }
        }
        throw new AssertionError("mosquitto did not listen on $port: ${log()}")
    }

    /** SIGTERM, as systemctl restart does: the broker writes its persistence file and exits. */
    void stop() {
        if (process?.alive) {
            process.destroy()
            assert process.waitFor(30, TimeUnit.SECONDS): "mosquitto did not stop"
        }
    }

    /** Publishes one message as {@code user} with QoS 1 and returns once the broker acknowledged it (PUBACK). */
    void publish(String user, String topic, String payload) {
        def client = new MqttClient(url, "phone-${UUID.randomUUID()}", new MemoryPersistence())
        try {
            def options = new MqttConnectOptions(cleanSession: true, userName: user, password: users[user].toCharArray())
            client.connect(options)
            def message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8))
            message.qos = 1
            client.publish(topic, message)
            client.disconnect()
        } finally {
            client.close()
        }
    }

    /**
     * Publishes every payload to {@code topic} as {@code user} (QoS 1) on one connection, each as soon as the broker has
     * acknowledged the one before: as fast as the broker takes them, whatever its subscribers do.
     */
    void publishAll(String user, String topic, List<String> payloads) {
        def client = new MqttClient(url, "phone-${UUID.randomUUID()}", new MemoryPersistence())
        try {
            // Paho frees a slot only after the acknowledgement's callback; a waiting publish can find all ten taken
            def options = new MqttConnectOptions(cleanSession: true, userName: user, password: users[user].toCharArray(),
                    maxInflight: 1_000)
            client.connect(options)
            payloads.each {
                def message = new MqttMessage(it.getBytes(StandardCharsets.UTF_8))
                message.qos = 1
                client.publish(topic, message)
            }
            client.disconnect()
        } finally {
            if (client.connected) {
                // a publish failed: its exception is the one to see
                client.disconnectForcibly(1_000)
            }
            client.close()
        }
    }

    String log() {
        [dir.resolve("mosquitto.log"), dir.resolve("stdout.log")].findAll { Files.exists(it) }
                .collect { Files.readString(it) }.join("\n")
    }

    @Override
    void close() {
        stop()
        dir.toFile().deleteDir()
    }
}
