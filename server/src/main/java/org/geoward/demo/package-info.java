/** The demo city: Fuling on the Yangtze, loaded by {@code ./geoward demo}. */
package org.geoward.demo;
