package org.geoward.monitor

import java.sql.Connection
import java.sql.SQLException
import javax.sql.DataSource
import org.geoward.sighting.EvaluationInput
import spock.lang.Specification

/**
 * What {@code GET /ready} means (docs/operations.md, "Probes"): 200 only when the database answers and the log replay
 * at start is done, else 503 naming each thing it waits for. The real checks ({@link DatabaseReadiness},
 * {@link EvaluationReadiness}) behind the real controller, on a database and an evaluation that are told what to be;
 * the broker's check in cluster mode is {@code ClusterOperationsSpec}'s, the database stopped under a running server
 * {@code OwnTracksMqttSpec}'s.
 */
class ReadinessSpec extends Specification {

    def "with the database #database and the replay #replay, /ready answers #status waiting for #waiting"() {
        given:
        def controller = new ProbeController([new DatabaseReadiness(dataSource(database)),
                                              new EvaluationReadiness(evaluation(replay == 'done'))], null)

        when:
        def response = controller.ready()

        then:
        response.status.code == status
        response.body().status == (status == 200 ? 'UP' : 'DOWN')
        response.body().waitingFor == waiting

        where:
        database          | replay    || status | waiting
        'answering'       | 'done'    || 200    | []
        'answering'       | 'running' || 503    | ['evaluation: replaying the sighting log']
        'unreachable'     | 'done'    || 503    | ['database: no database connection']
        'not answering'   | 'done'    || 503    | ['database: the database does not answer']
        'unreachable'     | 'running' || 503    | ['database: no database connection', 'evaluation: replaying the sighting log']
    }

    /** A data source whose connections answer, do not answer {@code isValid}, or cannot be had at all. */
    static DataSource dataSource(String state) {
        def connection = [isValid: { int seconds -> state == 'answering' }, close: {}] as Connection
        [getConnection: { ->
            if (state == 'unreachable') {
                throw new SQLException("Connection to 127.0.0.1:1 refused")
            }
            connection
        }] as DataSource
    }

    static EvaluationInput evaluation(boolean ready) {
        [isReady: { -> ready }] as EvaluationInput
    }
}
