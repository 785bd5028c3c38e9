package org.geoward.support

import io.micronaut.data.jdbc.runtime.JdbcOperations
import io.micronaut.transaction.TransactionOperations
import org.geoward.fence.FenceCatalog

import java.sql.Connection

/**
 * The specs share one database for the whole test JVM (and keep it between runs). A DANGER or BAN fence that names
 * no subjects applies to every ward or everyone, so a fence left by one spec can raise alerts in another. Specs that
 * evaluate fixes call {@link #retireAllFences} first; specs that create such fences retire them when done.
 */
final class World {
    private World() {}

    /** Retires every active fence and rebuilds the evaluator's index: the next feature starts with no fences. */
    static void retireAllFences(JdbcOperations jdbc, TransactionOperations<Connection> tx, FenceCatalog catalog) {
        tx.executeWrite { status ->
            jdbc.prepareStatement("UPDATE fence SET retired_at = now() WHERE retired_at IS NULL") { it.executeUpdate() }
        }
        catalog.invalidate()
    }
}
