package org.geoward.sighting;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.geoward.audit.NotAudited;
import org.geoward.problem.ProblemException;

/** {@code POST /api/sightings}: one sighting or an array of up to 10,000, each accepted or rejected on its own. */
@NotAudited("device and camera ingest (machines, many a second), not a person's look or change")
@Controller("/api/sightings")
@Secured({"ADMIN", "DISPATCHER", "OFFICER"})
@Tag(name = "sightings", description = "Position reports of subjects")
final class SightingController {
    private final SightingService service;
    private final JsonMapper json;

    SightingController(SightingService service, JsonMapper json) {
        this.service = service;
        this.json = json;
    }

    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Record sightings",
            description = "One sighting object or an array of up to 10,000. Answers 202 once the good ones are stored"
                    + " and evaluated: {accepted, duplicates, rejected: [{index, error}]}. More than 10,000 is 413.")
    HttpResponse<RecordResult> record(@Nullable @Body byte[] body) {
        JsonNode root = parse(body);
        if (root == null || root.isNull()) {
            throw ProblemException.badRequest(null, "the request body is JSON null: send a sighting or an array");
        }
        List<JsonNode> items = new ArrayList<>();
        if (root.isArray()) {
            if (root.size() > SightingService.MAX_BATCH) {
                throw new ProblemException(
                        HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                        "a batch holds at most " + SightingService.MAX_BATCH + " sightings; this one has " + root.size()
                                + ": split it");
            }
            root.values().forEach(items::add);
        } else if (root.isObject()) {
            items.add(root);
        } else {
            throw ProblemException.badRequest(null, "send one sighting object or an array of them");
        }
        List<Sighting> inputs = new ArrayList<>(items.size());
        Map<Integer, String> refused = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                inputs.add(SightingJson.read(items.get(i)));
            } catch (IllegalArgumentException e) {
                inputs.add(null);
                refused.put(i, e.getMessage());
            }
        }
        return HttpResponse.accepted().body(service.record(inputs, refused));
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest(null, "the request body is empty: send a sighting or an array");
        }
        try {
            return json.readValue(body, Argument.of(JsonNode.class));
        } catch (IOException e) {
            String reason = e.getMessage() == null
                    ? ""
                    : e.getMessage().lines().findFirst().orElse("");
            throw ProblemException.badRequest(
                    null,
                    "the request body is not valid JSON: " + reason + " (body starts with '"
                            + new String(body, 0, Math.min(body.length, 40), StandardCharsets.UTF_8) + "')");
        }
    }
}
