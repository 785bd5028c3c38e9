package org.geoward.notify;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import java.time.Instant;
import org.geoward.account.Visibility;
import org.geoward.problem.ProblemException;

/**
 * Alerts as OASIS CAP 1.2, for public-warning systems: {@code GET /api/alerts/{id}.cap} (the id is digits only, so
 * this route never competes with {@code /api/alerts/{id}}) and {@code GET /api/alerts.cap}, an Atom feed of the
 * unresolved alerts. Callers see only the alerts {@link Visibility} lets them see (an officer: those of their task, as
 * {@code GET /api/alerts}); others are 404.
 */
@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
final class CapController {
    static final String CAP_XML = "application/cap+xml";
    static final String ATOM_XML = "application/atom+xml";

    private final CapAlerts alerts;
    private final Visibility visibility;
    private final CapWriter writer;

    CapController(CapAlerts alerts, Visibility visibility, NotifySettings settings) {
        this.alerts = alerts;
        this.visibility = visibility;
        this.writer = new CapWriter(settings.sender());
    }

    @Get(value = "/alerts/{id:[0-9]+}.cap", produces = CAP_XML)
    HttpResponse<String> alert(Authentication caller, long id) {
        if (visibility.isOutsideOfficersTask(caller, id)) {
            throw ProblemException.notFound("alert", id);
        }
        CapAlert alert = alerts.find(id, visibility.visibleWards(caller))
                .orElseThrow(() -> ProblemException.notFound("alert", id));
        return HttpResponse.ok(writer.document(alert)).contentType(CAP_XML);
    }

    @Get(value = "/alerts.cap", produces = ATOM_XML)
    HttpResponse<String> feed(Authentication caller) {
        String xml = writer.feed(
                alerts.open(visibility.visibleWards(caller), visibility.officerAlerts(caller)),
                "/api/alerts.cap",
                Instant.now());
        return HttpResponse.ok(xml).contentType(ATOM_XML);
    }
}
