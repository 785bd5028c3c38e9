/** Alerts: what the evaluator raised, their lifecycle and timeline, and the live stream of their changes. */
package org.geoward.alert;
