/**
 * Alerts: what the evaluator raised, their lifecycle and timeline, and the live stream of their changes. The only
 * writer of {@code alert} and {@code alert_event}: other packages change them through {@link
 * org.geoward.alert.AlertEvents}, {@link org.geoward.alert.AlertAssignments}, {@link org.geoward.alert.RaisedAlerts}
 * and {@link org.geoward.alert.AlertRecords}.
 */
package org.geoward.alert;
