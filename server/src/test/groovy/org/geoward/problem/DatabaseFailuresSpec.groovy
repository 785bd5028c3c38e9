package org.geoward.problem

import spock.lang.Specification

import java.sql.SQLException

/** Which PostgreSQL failures are answered 503 + Retry-After (a later try may work) and which 500. */
class DatabaseFailuresSpec extends Specification {

    def "SQLSTATE #state (#meaning) is #verdict"() {
        given: 'the failure as the JDBC driver raises it, wrapped as the data layer wraps it'
        def failure = new RuntimeException('statement failed', new SQLException(meaning, state))

        expect:
        DatabaseFailures.isTransient(failure) == transientFailure

        where:
        state   | meaning                                  || transientFailure
        '40P01' | 'deadlock detected'                      || true
        '08006' | 'connection failure'                     || true
        '57P01' | 'admin shutdown'                         || true
        '53100' | 'could not extend file: disk full'       || true
        '53200' | 'out of memory'                          || true
        '53300' | 'too many connections'                   || true
        '23505' | 'unique violation'                       || false
        '22P02' | 'invalid text representation'            || false
        '42P01' | 'undefined table'                        || false
        verdict = transientFailure ? 'transient: 503 with Retry-After' : 'not transient: 500'
    }
}
