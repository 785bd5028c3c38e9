/**
 * Dispatch: officers and their status, the nearest available officer to an alert (PostGIS KNN on geography), manual
 * and automatic assignment, acceptance, arrival, and the work-order report of response times.
 *
 * <p>The order of a dispatch, written out once: an alert opens (another package publishes {@code AlertChanged});
 * {@link org.geoward.dispatch.AutoDispatch} assigns the nearest available officer when the alert type is configured
 * for it, or a dispatcher does with {@code POST /api/alerts/{id}/assign}; the officer accepts; {@link
 * org.geoward.dispatch.AcceptTimeouts} takes back what is not accepted in time and offers it to the next nearest;
 * the officer arrives (by hand, or {@link org.geoward.dispatch.AssignmentService#onOfficerFix} sees a fix within
 * 50 m); the alert is resolved elsewhere, and a trigger of migration V4 makes the officer AVAILABLE again.
 */
package org.geoward.dispatch;
