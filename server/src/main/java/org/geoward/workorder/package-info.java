/**
 * Work orders (the seed of the grid loop): issues reported by an officer's app, a dispatcher or raised from an alert,
 * kept as alerts of type WORK_ORDER on the one alert lifecycle and timeline, with category, deadline, feedback and
 * evaluation in {@code work_order}.
 */
package org.geoward.workorder;
