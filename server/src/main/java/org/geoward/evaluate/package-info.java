/**
 * Decides, for one position fix of one subject, which fence and alert states change: plain Java on JTS, no
 * framework and no SQL.
 *
 * <p>{@link org.geoward.evaluate.FenceIndex} answers "which fences are near this point and how deep inside is it";
 * {@link org.geoward.evaluate.Evaluator} turns that and the durable {@link org.geoward.evaluate.SubjectState} into
 * {@link org.geoward.evaluate.Transition}s.
 */
package org.geoward.evaluate;
