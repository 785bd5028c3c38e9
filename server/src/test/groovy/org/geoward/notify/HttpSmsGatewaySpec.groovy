package org.geoward.notify

import com.fasterxml.jackson.databind.ObjectMapper
import com.sun.net.httpserver.HttpServer
import java.nio.charset.StandardCharsets
import java.util.concurrent.CopyOnWriteArrayList
import spock.lang.Shared
import spock.lang.Specification

/** The HTTP SMS gateway against a real HTTP server: bodies that survive quotes, newlines and Chinese, and refusals. */
class HttpSmsGatewaySpec extends Specification {
    @Shared List<Map> received = new CopyOnWriteArrayList<>()
    @Shared int answer = 200
    @Shared HttpServer server

    def setupSpec() {
        server = HttpServer.create(new InetSocketAddress('127.0.0.1', 0), 0)
        server.createContext('/sms') { exchange ->
            received << [type: exchange.requestHeaders.getFirst('Content-Type'),
                         body: new String(exchange.requestBody.readAllBytes(), StandardCharsets.UTF_8)]
            byte[] reply = 'refused: quota'.bytes
            exchange.sendResponseHeaders(answer, reply.length)
            exchange.responseBody.withCloseable { it.write(reply) }
        }
        server.start()
    }

    def cleanupSpec() {
        server?.stop(0)
    }

    def setup() {
        received.clear()
        answer = 200
    }

    String url() { "http://127.0.0.1:${server.address.port}/sms" }

    def "a JSON body keeps every character of the text, escaped as JSON"() {
        given:
        def gateway = new HttpSmsGateway(url(), '{"phone":"{phone}","text":"{text}","id":"{id}"}', 'application/json')
        String text = '您的家人 "王阿姨" 已离开安全区域\n请联系\t社区 \\ 110 \u0001'

        when:
        gateway.send('42', '+8613800000000', text)

        then:
        received.size() == 1
        received[0].type == 'application/json'
        new ObjectMapper().readValue(received[0].body, Map) == [phone: '+8613800000000', text: text, id: '42']
    }

    def "a form body is URL-encoded"() {
        given:
        def gateway = new HttpSmsGateway(url(), 'to={phone}&msg={text}', 'application/x-www-form-urlencoded')

        when:
        gateway.send('7', '+86 138', '走失 & 回家=好')

        then:
        received[0].body == 'to=%2B86+138&msg=' + URLEncoder.encode('走失 & 回家=好', 'UTF-8')
    }

    def "an answer other than 2xx is a failed delivery that says what the gateway answered"() {
        given:
        answer = 403
        def gateway = new HttpSmsGateway(url(), '{"text":"{text}"}', 'application/json')

        when:
        gateway.send('1', '+8613800000000', 'x')

        then:
        DeliveryException e = thrown()
        e.message == 'SMS gateway answered 403: refused: quota'
    }
}
