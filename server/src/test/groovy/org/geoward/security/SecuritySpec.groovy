package org.geoward.security

import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import io.micronaut.context.annotation.Property
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.security.token.jwt.signature.secret.SecretSignatureConfiguration
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.reliability.Raw
import org.geoward.support.Accounts
import spock.lang.Shared
import spock.lang.Specification

import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import java.security.MessageDigest
import java.security.SecureRandom
import java.time.Instant

/**
 * What an attacker from outside tries first: forged tokens, guessing passwords, framing or sniffing the console,
 * reading /health and the device registry. Every feature talks HTTP to the running server.
 */
@MicronautTest(transactional = false)
@Property(name = "geoward.login.max-failures", value = "5")
@Property(name = "geoward.login.lock", value = "5m")
class SecuritySpec extends Specification {
    @Inject @Client("/") HttpClient http
    @Inject EmbeddedServer server
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject SecretSignatureConfiguration signature

    @Shared Raw raw

    def setup() {
        raw = raw ?: new Raw(server.URI)
    }

    static String b64(byte[] bytes) { Base64.urlEncoder.withoutPadding().encodeToString(bytes) }

    static String hs256(String headerAndPayload, byte[] key) {
        Mac mac = Mac.getInstance('HmacSHA256')
        mac.init(new SecretKeySpec(key, 'HmacSHA256'))
        b64(mac.doFinal(headerAndPayload.getBytes('UTF-8')))
    }

    /** A token with the real token's claims changed by {@code change}, signed as {@code how} says. */
    String forge(String real, String how, Closure change = {}) {
        Map claims = new JsonSlurper().parse(Base64.urlDecoder.decode(real.split(/\./)[1])) as Map
        change(claims)
        String payload = b64(JsonOutput.toJson(claims).getBytes('UTF-8'))
        switch (how) {
            case 'none':
                return b64('{"alg":"none","typ":"JWT"}'.bytes) + '.' + payload + '.'
            case 'real key':
                String hp = b64('{"alg":"HS256"}'.bytes) + '.' + payload
                return hp + '.' + hs256(hp, signature.secret.getBytes('UTF-8'))
            case 'another key':
                byte[] other = new byte[48]
                new SecureRandom().nextBytes(other)
                String hp = b64('{"alg":"HS256"}'.bytes) + '.' + payload
                return hp + '.' + hs256(hp, Base64.encoder.encodeToString(other).getBytes('UTF-8'))
        }
        throw new IllegalArgumentException(how)
    }

    def "a token signed with the real key and claims of our making is accepted, so the forgeries below can fail"() {
        given:
        String real = Accounts.token(http, users, hasher, Role.DISPATCHER)

        expect:
        raw.get('/api/me', forge(real, 'real key')).status == 200
        raw.get('/api/me', forge(real, 'real key') { it.roles = ['ADMIN'] }).json.roles == ['ADMIN']
    }

    def "a forged token is refused with 401: #forgery"() {
        given:
        String real = Accounts.token(http, users, hasher, Role.DISPATCHER)
        String forged = forge(real, how, change)

        when:
        def answer = raw.get('/api/alerts', forged)

        then:
        answer.status == 401
        answer.header('Content-Type').startsWith('application/problem+json')

        where:
        forgery                                   | how           | change
        'alg none, roles raised to ADMIN'         | 'none'        | { it.roles = ['ADMIN'] }
        'alg none, claims untouched'              | 'none'        | {}
        'signed with another key'                 | 'another key' | { it.roles = ['ADMIN'] }
        "another node's secret, same claims"      | 'another key' | {}
        'expired a minute ago, real key'          | 'real key'    | { it.exp = Instant.now().epochSecond - 60 }
    }

    def "a garbage bearer token is 401, never 500: #what"() {
        expect:
        raw.get('/api/alerts', token).status == status

        where:
        what                       | token                      || status
        'one letter'               | 'x'                        || 401
        'three dots'               | 'a.b.c'                    || 401
        'header only'              | 'eyJhbGciOiJIUzI1NiJ9..'   || 401
        'only dots'                | '....'                     || 401
        '2,000 letters'            | 'e' * 2_000                || 401
        '20,000 letters (headers)' | 'e' * 20_000               || 413
    }

    def "the console is sent with a CSP that allows only its own scripts and its import map by hash, nosniff, no framing"() {
        when:
        def page = raw.get('/')
        String csp = page.header('Content-Security-Policy')
        def importMap = (page.text =~ /(?s)<script type="importmap">(.*?)<\/script>/)[0][1] as String
        String hash = Base64.encoder.encodeToString(MessageDigest.getInstance('SHA-256').digest(importMap.getBytes('UTF-8')))

        then:
        page.status == 200
        page.header('X-Content-Type-Options') == 'nosniff'
        csp.contains("frame-ancestors 'none'")
        csp.contains("object-src 'none'")
        csp =~ /script-src 'self' 'sha256-[^']+'/
        csp.contains("'sha256-$hash'")
        !csp.contains("'unsafe-inline'; img") || !(csp =~ /script-src[^;]*unsafe-inline/)
        raw.get('/api/alerts').header('X-Content-Type-Options') == 'nosniff'
    }

    def "/health tells everyone but an ADMIN only UP or DOWN"() {
        given:
        String admin = Accounts.token(http, users, hasher, Role.ADMIN)
        String dispatcher = Accounts.token(http, users, hasher, Role.DISPATCHER)

        when:
        def anonymous = raw.get('/health')
        def staff = raw.get('/health', dispatcher)
        def full = raw.get('/health', admin)

        then:
        anonymous.status == 200
        anonymous.json == [status: 'UP']
        staff.json == [status: 'UP']
        !anonymous.text.contains('jdbc:')
        full.status == 200
        full.json.status == 'UP'
        full.text.contains('jdbc')
    }

    def "the device registry is for ADMIN only: #role gets #status"() {
        given:
        String token = Accounts.token(http, users, hasher, role)

        expect:
        raw.get('/api/devices', token).status == status
        raw.get('/api/devices/unknown', token).status == status

        where:
        role            || status
        Role.ADMIN      || 200
        Role.DISPATCHER || 403
        Role.OFFICER    || 403
        Role.FAMILY     || 403
    }

    def "five wrong passwords lock the username for minutes, said in the answer; the right one is refused too, others are not"() {
        given:
        String name = "guessed-${UUID.randomUUID()}".toString()
        users.save(new User(null, name, hasher.hash('the right one'), Role.DISPATCHER, null))
        String other = "bystander-${UUID.randomUUID()}".toString()
        users.save(new User(null, other, hasher.hash('the right one'), Role.DISPATCHER, null))

        when:
        def tries = (1..5).collect { raw.post('/login', JsonOutput.toJson([username: name, password: "guess $it"])) }
        def right = raw.post('/login', JsonOutput.toJson([username: name, password: 'the right one']))
        def bystander = raw.post('/login', JsonOutput.toJson([username: other, password: 'the right one']))

        then:
        tries[0..3]*.status == [401] * 4
        tries[4].status == 429
        right.status == 429
        right.header('Retry-After').toInteger() > 200
        right.json.detail.contains("Too many wrong passwords for '$name' (5 in a row)")
        bystander.status == 200
    }

    def "a password longer than bcrypt's 72 bytes is a 400 naming the limit, at login and when an account is made"() {
        given:
        String admin = Accounts.token(http, users, hasher, Role.ADMIN)
        String longOne = 'é' * 40   // 80 bytes in UTF-8, 40 characters

        when:
        def login = raw.post('/login', JsonOutput.toJson([username: 'admin', password: longOne]))
        def create = raw.post('/api/users', JsonOutput.toJson(
                [username: "long-${UUID.randomUUID()}".toString(), password: longOne, role: 'DISPATCHER']), admin)

        then:
        login.status == 400
        login.json.detail.contains('at most 72')
        create.status == 400
        create.json.errors[0].field == 'password'
        create.json.detail.contains('80 bytes')
    }
}
