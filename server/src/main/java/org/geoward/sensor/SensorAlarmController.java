package org.geoward.sensor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.geoward.clock.SteadyClock;
import org.geoward.json.Json;
import org.geoward.json.JsonFields;
import org.geoward.json.JsonObject;
import org.geoward.problem.ProblemException;
import org.geoward.security.BasicCredentials;

/**
 * The alarm door of home sensors: {@code POST /ingest/sensors} with HTTP Basic device credentials (the sensor's
 * unique id and its token; no user account) and a JSON body {@code {"alarm": "GAS", "time": "2026-07-12T06:30:00Z"}}
 * ({@code alarm} defaults to the sensor's kind and must be it; {@code time}, the event time, defaults to now and may
 * be at most 5 minutes ahead). The alarm is raised at the home the sensor was registered at (see {@link
 * HomeAlarms}); 202 with what it came to.
 */
@Controller("/ingest/sensors")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "Devices")
final class SensorAlarmController {
    private static final Duration MAX_AHEAD = Duration.ofMinutes(5);

    private final SensorService sensors;
    private final HomeAlarms alarms;

    private final SteadyClock clock;

    SensorAlarmController(SensorService sensors, HomeAlarms alarms, SteadyClock clock) {
        this.clock = clock;
        this.sensors = sensors;
        this.alarms = alarms;
    }

    /** What a sensor is told: RAISED, REPEATED, NOT_AT_NIGHT or NOT_APPLICABLE, and the alert it concerns. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Receipt(String outcome, @Nullable String alertId, @Nullable String officerId, @Nullable String reason) {}

    @Post
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(summary = "Receive a home sensor's alarm (HTTP Basic: the sensor's uniqueId and token)")
    HttpResponse<Receipt> receive(
            @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
            @Nullable @Body @Schema(implementation = JsonObject.class) String text) {
        BasicCredentials credentials = BasicCredentials.parse(
                authorization, "a home sensor must send HTTP Basic credentials: its unique id and its token");
        SensorService.Stored sensor = sensors.findByUniqueId(credentials.uniqueId())
                .orElseThrow(() -> new ProblemException(
                        HttpStatus.UNAUTHORIZED,
                        "home sensor " + credentials.uniqueId() + " is not registered; ask a dispatcher to add it"));
        if (!sensors.tokenMatches(sensor, credentials.token())) {
            throw new ProblemException(
                    HttpStatus.UNAUTHORIZED, "wrong token for home sensor " + credentials.uniqueId());
        }
        JsonNode body = text == null || text.isBlank() ? null : Json.body(text);
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest(null, "The body must be a JSON object such as {\"alarm\": \"GAS\"}");
        }
        SensorKind kind = JsonFields.optionalEnum(body, "alarm", "alarm", SensorKind.class);
        if (kind != null && kind != sensor.kind()) {
            throw ProblemException.badRequest(
                    "alarm",
                    "home sensor " + credentials.uniqueId() + " is a " + sensor.kind() + " sensor; it cannot report "
                            + kind);
        }
        Instant time = time(body);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("sensorId", sensor.sensor().id());
        facts.put("uniqueId", sensor.sensor().uniqueId());
        if (sensor.sensor().room() != null) {
            facts.put("room", sensor.sensor().room());
        }
        HomeAlarms.Result result = alarms.raise(new HomeAlarms.Alarm(
                sensor.subjectId(),
                sensor.kind().alertType,
                sensor.sensor().lon(),
                sensor.sensor().lat(),
                time,
                facts));
        sensors.alarmed(Long.parseLong(sensor.sensor().id()), time);
        return HttpResponse.accepted()
                .body(new Receipt(
                        result.outcome().name(),
                        result.alertId() == null ? null : result.alertId().toString(),
                        result.officerId(),
                        result.reason()));
    }

    private Instant time(JsonNode body) {
        String text = JsonFields.optionalText(body, "time", "time");
        if (text == null) {
            return clock.instant().truncatedTo(ChronoUnit.MILLIS);
        }
        Instant time;
        try {
            time = Instant.parse(text);
        } catch (DateTimeException e) {
            throw ProblemException.badRequest(
                    "time", "time '" + text + "' is not an ISO-8601 instant such as 2026-07-12T06:30:00Z");
        }
        if (time.isAfter(clock.latest().plus(MAX_AHEAD))) {
            throw ProblemException.badRequest(
                    "time", "time " + text + " is more than 5 minutes in the future; check the sensor's clock");
        }
        return time;
    }
}
