package org.geoward.subject;

import com.fasterxml.jackson.databind.JsonNode;
import org.geoward.json.JsonFields;
import org.geoward.problem.ProblemException;

/**
 * A guardian's consent as a request gives it: {@code by} (who consented: the guardian's name or subject id) and
 * {@code textVersion} (the version of the consent text they agreed to, e.g. {@code 2026-12}).
 */
record ConsentDraft(String by, String textVersion) {

    /** Reads {@code node}; {@code prefix} is the field path of the object in the request (null at the top). */
    static ConsentDraft read(JsonNode node, String prefix) {
        String at = prefix == null ? "" : prefix + ".";
        if (node == null || !node.isObject()) {
            throw ProblemException.badRequest(
                    prefix, "consent must be an object {\"by\": who consented, \"textVersion\": the text's version}");
        }
        return new ConsentDraft(
                JsonFields.requiredText(node, "by", at + "by"),
                JsonFields.requiredText(node, "textVersion", at + "textVersion"));
    }
}
