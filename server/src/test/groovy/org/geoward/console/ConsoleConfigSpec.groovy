package org.geoward.console

import io.micronaut.context.annotation.Property
import io.micronaut.http.HttpRequest
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import spock.lang.Specification

/** The basemap an operator configures reaches every console, before login. */
@MicronautTest(transactional = false)
@Property(name = "geoward.map.tiles", value = ConsoleConfigSpec.TILES)
@Property(name = "geoward.map.tile-crs", value = "wgs84")
class ConsoleConfigSpec extends Specification {
    static final String TILES = "http://tiles.pgis.intranet/vec_w/{z}/{x}/{y}.png"

    @Inject @Client("/") HttpClient http

    def "config.json is public and carries the intranet tile URL and its coordinate system"() {
        when:
        Map config = http.toBlocking().retrieve(HttpRequest.GET("/config.json"), Map)

        then:
        config.tiles == TILES
        config.tileCrs == "WGS84"
        config.center == [29.71, 107.39]
    }
}
