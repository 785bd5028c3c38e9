/** The people Geoward watches over and the devices that report for them. */
package org.geoward.subject;
