package org.geoward.account;

import java.util.Map;
import org.geoward.evaluate.AlertType;

/**
 * Which unit answers each alert type, as {@link Visibility} needs it to limit an officer to their unit's alerts. The
 * one implementation is the subject package's {@code AlertUnits} (the one reader of {@code geoward.dispatch.units});
 * this package sits below it, so it declares what it needs and imports nothing of it.
 */
public interface AnsweringUnits {

    /** Every alert type with the unit whose officers answer it. */
    Map<AlertType, String> byType();
}
