/** What the web console reads from the server before it draws: the basemap and where the map opens. */
package org.geoward.console;
