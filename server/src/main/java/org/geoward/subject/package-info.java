/**
 * The people Geoward watches over and the devices that report for them. The only writer of {@code subject}: other
 * packages change it through {@link org.geoward.subject.OfficerStatuses}, {@link org.geoward.subject.VisitorPhones}
 * and {@link org.geoward.subject.SubjectSeeds}.
 */
package org.geoward.subject;
