/** Who may do what: user accounts, login, JWT signing, roles. */
package org.geoward.security;
