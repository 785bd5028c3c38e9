package org.geoward.process

import java.net.http.HttpClient
import java.nio.file.Path
import java.security.KeyStore
import java.time.Duration
import java.util.concurrent.TimeUnit
import javax.net.ssl.SSLContext
import javax.net.ssl.SSLHandshakeException
import javax.net.ssl.TrustManagerFactory
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification

/**
 * Micronaut's own TLS as docs/operations.md sets it up: a PKCS12 keystore (here a self-signed one made with
 * {@code keytool}), exactly the environment variables the guide lists, and an HTTPS client that trusts only that
 * certificate logs in and reads the API. One server process for every feature.
 */
class TlsSpec extends Specification {
    static final String PASSWORD = "tls-spec-admin-pw"
    static final String STORE_PASSWORD = "tls-spec-store-pw"

    @Shared
    @AutoCleanup
    ServerProcess server = new ServerProcess("geoward-tls")

    @Shared
    Path keystore

    @Shared
    int plainPort = ServerProcess.freePort()

    def setupSpec() {
        keystore = server.dataDir.resolve("keystore.p12")
        def keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "geoward", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD)
                .redirectErrorStream(true).start()
        String output = keytool.inputStream.text
        assert keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0: "keytool: $output"
        server.scheme = "https"
        server.http = trusting(keystore)
        // the guide's variables, as they are written in /etc/geoward/geoward.env; GEOWARD_PORT is the plain port
        server.start([GEOWARD_ADMIN_PASSWORD              : PASSWORD,
                      GEOWARD_PORT                        : plainPort as String,
                      MICRONAUT_SERVER_SSL_ENABLED        : "true",
                      MICRONAUT_SERVER_SSL_PORT           : server.port as String,
                      MICRONAUT_SERVER_SSL_KEY_STORE_PATH : "file:$keystore".toString(),
                      MICRONAUT_SERVER_SSL_KEY_STORE_TYPE : "PKCS12",
                      MICRONAUT_SERVER_SSL_KEY_STORE_PASSWORD: STORE_PASSWORD])
    }

    def "an HTTPS client that trusts the keystore's certificate logs in and reads the API"() {
        when:
        String token = server.token("admin", PASSWORD)
        def response = server.send("GET", "/api/subjects", null, token, Duration.ofSeconds(10))

        then:
        response.statusCode() == 200
        response.uri().scheme == "https"
        response.body().startsWith("[") || response.body().startsWith("{")
    }

    def "a client that does not trust the certificate is refused in the handshake"() {
        given:
        def untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()

        when:
        untrusting.send(java.net.http.HttpRequest.newBuilder(URI.create("https://127.0.0.1:${server.port}/health"))
                .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString())

        then:
        thrown(SSLHandshakeException)
    }

    def "with TLS on, nothing answers plain HTTP on GEOWARD_PORT"() {
        when:
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:$plainPort/health"))
                        .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString())

        then:
        thrown(IOException)
    }

    static HttpClient trusting(Path keystore) {
        def store = KeyStore.getInstance("PKCS12")
        keystore.toFile().withInputStream { store.load(it, STORE_PASSWORD.toCharArray()) }
        def trust = TrustManagerFactory.getInstance(TrustManagerFactory.defaultAlgorithm)
        trust.init(store)
        def context = SSLContext.getInstance("TLS")
        context.init(null, trust.trustManagers, null)
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .sslContext(context).build()
    }
}
