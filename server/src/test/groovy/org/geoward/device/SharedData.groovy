package org.geoward.device

import groovy.json.JsonSlurper

/**
 * Loads the real device payloads of /work/shared/data/protocols (from traccar/traccar's protocol tests and the
 * OwnTracks booklet, Apache-2.0) from the directory in system property {@code geoward.shared-data}.
 */
class SharedData {

    static Object protocols(String file) {
        def dir = System.getProperty('geoward.shared-data')
        assert dir: 'system property geoward.shared-data is not set (surefire sets it)'
        new JsonSlurper().parse(new File(dir, "protocols/$file"))
    }

    static byte[] hex(String text) {
        HexFormat.of().parseHex(text)
    }
}
