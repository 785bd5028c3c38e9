package org.geoward.dispatch

import io.micronaut.context.annotation.Property
import io.micronaut.core.type.Argument
import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpStatus
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.geoward.security.PasswordHasher
import org.geoward.security.Role
import org.geoward.security.UserRepository
import org.geoward.support.Accounts
import spock.lang.Shared
import spock.lang.Specification

import javax.sql.DataSource

import static org.geoward.dispatch.DispatchData.LAT
import static org.geoward.dispatch.DispatchData.LON
import static org.geoward.dispatch.DispatchData.offset

/**
 * Grid responsibility in dispatch, through the HTTP API: grids imported from GeoJSON with their officers, the grid's
 * own officer offered first within geoward.dispatch.grid-meters, and BOAT officers ranked along the river.
 */
@MicronautTest(transactional = false)
@Property(name = "geoward.units", value = "POLICE,FISHERIES,GRID-POLICE,GRID-COMMUNITY,GRID-FISH")
@Property(name = "geoward.dispatch.units.WANDER", value = GridDispatchSpec.POLICE)
@Property(name = "geoward.dispatch.units.LOITER", value = GridDispatchSpec.FISH)
@Property(name = "geoward.dispatch.grid-meters", value = "1500")
class GridDispatchSpec extends Specification {
    static final String POLICE = "GRID-POLICE"
    static final String COMMUNITY = "GRID-COMMUNITY"
    static final String FISH = "GRID-FISH"

    @Inject @Client("/") HttpClient http
    @Inject UserRepository users
    @Inject PasswordHasher hasher
    @Inject DataSource dataSource

    @Shared DispatchData data
    @Shared String admin

    def setup() {
        data = new DispatchData(dataSource)
        [POLICE, COMMUNITY, FISH].each { data.retire(it) }
        data.update("UPDATE fence SET retired_at = now() WHERE kind = 'GRID' AND retired_at IS NULL")
        admin = admin ?: new Accounts(http, users, hasher).tokenFor(Role.ADMIN)
    }

    /** A square grid cell of side 2 × halfMeters around lon, lat. */
    static Map cell(String name, double lon, double lat, double halfMeters, List officers, String unit = COMMUNITY) {
        def n = offset(lon, lat, halfMeters, 0)
        def e = offset(lon, lat, halfMeters, 90)
        double dLat = n[1] - lat, dLon = e[0] - lon
        [type: 'Feature', geometry: [type: 'Polygon', coordinates: [[[lon - dLon, lat - dLat], [lon + dLon, lat - dLat],
                [lon + dLon, lat + dLat], [lon - dLon, lat + dLat], [lon - dLon, lat - dLat]]]],
         properties: [name: name, unit: unit, officers: officers]]
    }

    Map importGrids(List features) {
        http.toBlocking().retrieve(HttpRequest.POST('/api/grids/import', [type: 'FeatureCollection', features: features])
                .bearerAuth(admin), Map)
    }

    List<Map> nearest(long alertId, int limit = 5) {
        http.toBlocking().retrieve(
                HttpRequest.GET("/api/alerts/$alertId/nearest-officers?limit=$limit").bearerAuth(admin), Argument.listOf(Map))
    }

    def "an alert inside a grid is offered first to the grid's own officer, then to the nearest, each with why"() {
        given: 'police at 100 m and 300 m, and the grid officer of a community unit 800 m away'
        long near = data.officer(POLICE, *offset(LON, LAT, 100, 0))
        long next = data.officer(POLICE, *offset(LON, LAT, 300, 90))
        long gridOfficer = data.officer(COMMUNITY, *offset(LON, LAT, 800, 180))
        String name = "网格-${UUID.randomUUID().toString().take(4)}".toString()
        def imported = importGrids([cell(name, LON, LAT, 1000, [[officerId: "$gridOfficer".toString(), role: 'GRID']])])
        long alert = data.alert('WANDER', LON, LAT)

        when:
        def found = nearest(alert)

        then:
        imported.rejected == []
        imported.created*.name == [name]
        found*.officerId == [gridOfficer, near, next]*.toString()
        found[0].reason == 'GRID_OFFICER' && found[0].gridName == name && found[0].gridRole == 'GRID'
        found[0].unit == COMMUNITY
        found[0].why.contains(name)
        found[1].reason == 'NEAREST' && found[1].gridName == null && found[1].why.startsWith('nearest')
        found.every { it.route == 'STRAIGHT' }
    }

    def "the grid's officer is not preferred when #why"() {
        given:
        long near = data.officer(POLICE, *offset(LON, LAT, 100, 0))
        long gridOfficer = data.officer(COMMUNITY, *offset(LON, LAT, metres, 180), status: status)
        importGrids([cell("网格-${UUID.randomUUID().toString().take(4)}".toString(), LON, LAT, 2500,
                [[officerId: "$gridOfficer".toString(), role: 'COMMUNITY']])])
        long alert = data.alert('WANDER', LON, LAT)

        expect:
        nearest(alert)*.officerId == [near.toString()]

        where:
        why                                      | metres | status
        'they are beyond grid-meters (1,500 m)'  | 1800   | 'AVAILABLE'
        'they are BUSY'                          | 200    | 'BUSY'
        'they are OFF_DUTY'                      | 200    | 'OFF_DUTY'
    }

    def "an alert outside every grid goes to the nearest as before"() {
        given:
        long near = data.officer(POLICE, *offset(LON, LAT, 100, 0))
        long gridOfficer = data.officer(COMMUNITY, *offset(LON, LAT, 200, 180))
        def far = offset(LON, LAT, 5000, 90)
        importGrids([cell("网格-${UUID.randomUUID().toString().take(4)}".toString(), far[0], far[1], 500,
                [[officerId: "$gridOfficer".toString(), role: 'GRID']])])
        long alert = data.alert('WANDER', LON, LAT)

        expect:
        nearest(alert)*.officerId == [near.toString()]
    }

    def "assigning without a body books the grid officer and the timeline says why"() {
        given:
        data.officer(POLICE, *offset(LON, LAT, 50, 0))
        long gridOfficer = data.officer(COMMUNITY, *offset(LON, LAT, 600, 90))
        importGrids([cell("网格-${UUID.randomUUID().toString().take(4)}".toString(), LON, LAT, 1000,
                [[officerId: "$gridOfficer".toString(), role: 'BUILDING']])])
        long alert = data.alert('WANDER', LON, LAT)

        when:
        def assigned = http.toBlocking().retrieve(HttpRequest.POST("/api/alerts/$alert/assign", '').bearerAuth(admin), Map)

        then:
        assigned.officerId == gridOfficer.toString()
        def event = data.row("SELECT detail::text AS detail FROM alert_event WHERE alert_id = ? AND action = 'ASSIGNED'", [alert])
        event.detail.contains('"reason": "GRID_OFFICER"') || event.detail.contains('"reason":"GRID_OFFICER"')
        event.detail.contains('building officer of grid')
    }

    def "GET /api/grids lists each grid with its unit, officers in their roles and open items"() {
        given:
        def (lon, lat) = offset(LON, LAT, 9000, 135)   // away from the other features' alerts
        data.update("UPDATE alert SET status = 'RESOLVED' WHERE status <> 'RESOLVED' AND ST_DWithin(pos, ST_MakePoint(?, ?)::geography, 3000)", [lon, lat])
        long a = data.officer(COMMUNITY, lon, lat, name: 'officer-grid-a')
        long b = data.officer(COMMUNITY, lon, lat, name: 'officer-grid-b')
        String name = "网格-${UUID.randomUUID().toString().take(4)}".toString()
        def created = importGrids([cell(name, lon, lat, 300,
                [[officerId: "$a".toString(), role: 'GRID'], [officerId: "$b".toString(), role: 'VOLUNTEER']])]).created[0]
        long inside = data.alert('WANDER', lon, lat)
        data.alert('WANDER', *offset(lon, lat, 2000, 0))

        when:
        def grid = http.toBlocking().retrieve(HttpRequest.GET("/api/grids/$created.id").bearerAuth(admin), Map)
        def all = http.toBlocking().retrieve(HttpRequest.GET('/api/grids').bearerAuth(admin), Argument.listOf(Map))
        def fence = http.toBlocking().retrieve(HttpRequest.GET("/api/fences/$created.id").bearerAuth(admin), Map)

        then:
        grid.name == name && grid.unit == COMMUNITY
        grid.officers.collect { [it.officerId, it.role] } as Set == [[a.toString(), 'GRID'], [b.toString(), 'VOLUNTEER']] as Set
        grid.openItems*.alertId == [inside.toString()]
        all*.id.contains(created.id)
        fence.properties.kind == 'GRID' && fence.properties.unit == COMMUNITY
    }

    def "PUT /api/grids/{id}/officers replaces the officers"() {
        given:
        long a = data.officer(COMMUNITY, LON, LAT)
        long b = data.officer(COMMUNITY, LON, LAT)
        def id = importGrids([cell("网格-${UUID.randomUUID().toString().take(4)}".toString(), LON, LAT, 300,
                [[officerId: "$a".toString(), role: 'GRID']])]).created[0].id

        when:
        def grid = http.toBlocking().retrieve(HttpRequest.PUT("/api/grids/$id/officers",
                [[officerId: "$b".toString(), role: 'ROAD']]).bearerAuth(admin), Map)

        then:
        grid.officers.collect { [it.officerId, it.role] } == [[b.toString(), 'ROAD']]
    }

    def "a grid feature with #fault is rejected naming #field, and the others are imported"() {
        given:
        long officer = data.officer(COMMUNITY, LON, LAT)
        long ward = data.row("INSERT INTO subject (kind, name) VALUES ('WARD', 'ward-grid') RETURNING id").id as long
        def good = cell("网格-${UUID.randomUUID().toString().take(4)}".toString(), LON, LAT, 300, [[officerId: "$officer".toString()]])
        def bad = cell('坏网格', LON, LAT, 300, [])
        bad.properties.officers = officers.collect { it.officerId == 'WARD' ? [officerId: "$ward".toString(), role: 'GRID'] : it }

        when:
        def result = importGrids([bad, good])

        then:
        result.created*.index == [1]
        result.rejected.size() == 1
        result.rejected[0].index == 0
        result.rejected[0].field == field
        result.rejected[0].error.contains(words)

        where:
        fault               | officers                                || field                                       | words
        'an unknown role'   | [[officerId: '1', role: 'CAPTAIN']]     || 'features[0].properties.officers[0].role'      | 'role'
        'a ward as officer' | [[officerId: 'WARD', role: 'GRID']]     || 'features[0].properties.officers[0].officerId' | 'is a WARD'
        'no officer id'     | [[role: 'GRID']]                        || 'features[0].properties.officers[0].officerId' | 'required'
    }

    def "a body that is not a FeatureCollection is a 400, an unknown grid a 404"() {
        when:
        http.toBlocking().exchange(HttpRequest.POST('/api/grids/import', [type: 'Feature']).bearerAuth(admin))

        then:
        def e = thrown(HttpClientResponseException)
        e.status == HttpStatus.BAD_REQUEST
        e.response.getBody(Map).get().detail.contains('FeatureCollection')

        when:
        http.toBlocking().exchange(HttpRequest.GET('/api/grids/999999999').bearerAuth(admin))

        then:
        def missing = thrown(HttpClientResponseException)
        missing.status == HttpStatus.NOT_FOUND
    }

    def "a boat on the Yangtze nearer in a straight line ranks after a boat on the Wu nearer along the river"() {
        given: 'an alert on the Wu (Natural Earth vertex 24); one boat on the Yangtze, one farther up the Wu'
        double[] alertAt = [107.39405358164623, 29.694403387494035]
        long yangtze = data.officer(FISH, 107.37566165456292, 29.733221746869035, mode: 'BOAT')
        long wu = data.officer(FISH, 107.38868248789623, 29.640936590619035, mode: 'BOAT')
        long alert = data.alert('LOITER', alertAt[0], alertAt[1])

        when:
        def found = nearest(alert)

        then: 'about 6.1 km up the Wu beats 7.4 km through the confluence, though the straight lines are 6.0 and 4.7 km'
        found*.officerId == [wu, yangtze]*.toString()
        found.every { it.route == 'RIVER' }
        Math.abs(found[0].distanceMeters - 6115) < 150
        Math.abs(found[1].distanceMeters - 7376) < 300
        found[1].why.contains('Wu') && found[1].why.contains('Yangtze')
        Math.abs(found[0].etaSeconds - found[0].distanceMeters * 3.6 / 20) <= 1
    }
}
