package org.geoward.audit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller or endpoint whose requests the audit trail does not record, because they carry no one's
 * personal data (the caller's own account, settings, reports of counts) or because they are machine ingest rather
 * than a person's change. Every other {@code /api/**} endpoint is audited without further ado; AuditCoverageSpec
 * lists the marked ones, so that marking one is a reviewed decision.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface NotAudited {
    /** Why the endpoint carries no personal data. */
    String value();
}
