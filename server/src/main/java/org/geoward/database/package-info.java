/** Where Geoward's PostGIS comes from: a configured database, or a private cluster it starts itself. */
package org.geoward.database;
