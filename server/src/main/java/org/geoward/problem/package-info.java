/** How Geoward says no: every error as {@code application/problem+json} (RFC 9457) a person can act on. */
package org.geoward.problem;
