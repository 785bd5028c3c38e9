/**
 * JSON read into Jackson's tree, one way for every door: {@link org.geoward.json.Json} parses (numbers keep their
 * digits, nesting is bounded), {@link org.geoward.json.JsonFields} reads typed members and refuses bad ones with a 400
 * naming the field, {@link org.geoward.json.JsonValues} writes a value back for error texts.
 */
package org.geoward.json;
