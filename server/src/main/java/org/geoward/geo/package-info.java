/** Geometry plumbing shared by the features: the WGS 84 geometry factory, WKB and GeoJSON conversion. */
package org.geoward.geo;
