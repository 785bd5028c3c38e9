/**
 * Where Geoward's data lives: the {@link org.geoward.database.DataDirectory} that outlives a run (the private
 * cluster, generated secrets), and where its PostGIS comes from: a configured database, or a private cluster it
 * starts itself.
 */
package org.geoward.database;
