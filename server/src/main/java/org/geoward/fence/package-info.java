/** Named areas: safe zones, danger corridors and ban zones, with their schedules. */
package org.geoward.fence;
