package org.geoward.notify

import io.micronaut.http.HttpRequest
import org.geoward.alert.AlertEvents
import io.micronaut.http.HttpStatus
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import java.sql.Connection
import javax.xml.XMLConstants
import javax.xml.transform.dom.DOMSource
import javax.xml.transform.stream.StreamSource
import javax.xml.parsers.DocumentBuilderFactory
import javax.xml.validation.SchemaFactory
import org.geoward.security.PasswordHasher
import spock.lang.Shared
import spock.lang.Specification

@MicronautTest(transactional = false)
class CapSpec extends Specification {
    static final String CAP = "urn:oasis:names:tc:emergency:cap:1.2"

    @Shared
    def schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
            .newSchema(new StreamSource(CapSpec.getResourceAsStream("/cap/CAP-v1.2.xsd")))

    @Inject
    AlertEvents alertEvents

    @Inject
    TransactionOperations<Connection> tx

    @Inject
    @Client("/")
    HttpClient http

    @Inject
    PasswordHasher hasher

    Scene scene
    String dispatcher

    def setup() {
        scene = new Scene(tx, alertEvents, http, hasher)
        dispatcher = scene.user('DISPATCHER').token
    }

    String cap(String path, String token = dispatcher) {
        def response = http.toBlocking().exchange(HttpRequest.GET(path).bearerAuth(token), String)
        response.body()
    }

    static org.w3c.dom.Document parse(String xml) {
        def factory = DocumentBuilderFactory.newInstance()
        factory.namespaceAware = true
        factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes("UTF-8")))
    }

    /** The texts of the CAP elements called {@code name} under {@code node}, in document order. */
    static List<String> texts(node, String name) {
        def found = node.getElementsByTagNameNS(CAP, name)
        (0..<found.length).collect { found.item(it).textContent }
    }

    static String text(node, String name) {
        texts(node, name)[0]
    }

    /** The Atom entries of a feed as [href: link, alert: the embedded CAP alert element]. */
    static List<Map> entries(String xml) {
        def found = parse(xml).getElementsByTagNameNS("http://www.w3.org/2005/Atom", "entry")
        (0..<found.length).collect {
            def entry = found.item(it)
            [href : entry.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "link").item(0).getAttribute("href"),
             alert: entry.getElementsByTagNameNS(CAP, "alert").item(0)]
        }
    }

    /** Validates every CAP alert element in {@code xml} against the schema; returns how many there were. */
    int validate(String xml) {
        def alerts = parse(xml).getElementsByTagNameNS(CAP, "alert")
        (0..<alerts.length).each { schema.newValidator().validate(new DOMSource(alerts.item(it))) }
        alerts.length
    }

    def "a DANGER alert at a circle fence is a valid CAP message whose circle is latitude first"() {
        given:
        def ward = scene.subject('WARD', '郑爷爷')
        def fence = scene.circleFence('DANGER', '江边', 107.3912, 29.7034, 300)
        def alert = scene.openAlert('DANGER', ward, fence, 107.3915, 29.7031)

        when:
        def xml = cap("/api/alerts/${alert}.cap")

        then:
        validate(xml) == 1
        def doc = parse(xml)
        text(doc, 'status') == 'Actual'
        text(doc, 'msgType') == 'Alert'
        text(doc, 'category') == 'Safety'
        text(doc, 'urgency') == 'Immediate'
        text(doc, 'severity') == 'Severe'
        text(doc, 'certainty') == 'Observed'
        text(doc, 'areaDesc') == '江边'
        text(doc, 'circle') == '29.703400,107.391200 0.300'
    }

    def "a resolved LOITER alert at a polygon fence is a valid Cancel with a lat,lon polygon and a reference"() {
        given:
        def visitor = scene.subject('VISITOR', '访客 E')
        def fence = scene.polygonFence('BAN', '禁渔区 E',
                'POLYGON((107.38 29.70, 107.40 29.70, 107.40 29.71, 107.38 29.71, 107.38 29.70))', 30)
        def alert = scene.openAlert('LOITER', visitor, fence)
        scene.resolve(alert, 'LEFT')

        when:
        def xml = cap("/api/alerts/${alert}.cap")

        then:
        validate(xml) == 1
        def doc = parse(xml)
        text(doc, 'msgType') == 'Cancel'
        text(doc, 'references').contains(",geoward-alert-${alert}-")
        text(doc, 'severity') == 'Minor'
        text(doc, 'polygon').split(' ').first() == '29.700000,107.380000'
        text(doc, 'polygon').split(' ').first() == text(doc, 'polygon').split(' ').last()
    }

    def "a WANDER alert's area is a circle around the ward's last position"() {
        given:
        def ward = scene.subject('WARD', '冯奶奶')
        def alert = scene.openAlert('WANDER', ward, scene.circleFence('SAFE', '家园', 107.0, 29.0, 100), 107.25, 29.5)

        when:
        def doc = parse(cap("/api/alerts/${alert}.cap"))

        then:
        text(doc, 'category') == 'Rescue'
        text(doc, 'urgency') == 'Expected'
        text(doc, 'circle') == '29.500000,107.250000 0.500'
    }

    def "the Atom feed lists open alerts with valid CAP messages, and a family sees only their ward's"() {
        given:
        def ward = scene.subject('WARD', '陈奶奶')
        def mine = scene.openAlert('OFFLINE', ward, null)
        def other = scene.openAlert('SOS', scene.subject('WARD', '别人'), null)
        def family = scene.user('FAMILY', null, [ward]).token

        when:
        def feed = cap("/api/alerts.cap")
        def familyFeed = cap("/api/alerts.cap", family)

        then:
        validate(feed) >= 2
        text(entries(feed).find { it.href == "/api/alerts/${mine}.cap".toString() }.alert, 'certainty') == 'Possible'
        validate(familyFeed) == 1
        entries(familyFeed)*.href == ["/api/alerts/${mine}.cap".toString()]

        when:
        cap("/api/alerts/${other}.cap", family)

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.NOT_FOUND
    }
}
