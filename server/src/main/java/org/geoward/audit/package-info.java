/**
 * The audit trail: every look at a person's data and every change by a person, recorded append-only in a hash chain
 * ({@link org.geoward.audit.AuditFilter} writes, {@link org.geoward.audit.AuditController} reads and verifies).
 */
package org.geoward.audit;
