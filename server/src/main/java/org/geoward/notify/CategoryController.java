package org.geoward.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.geoward.evaluate.AlertType;
import org.geoward.evaluate.SubjectCategory;

/**
 * The key populations as this deployment treats them: {@code GET /api/categories} lists every category with the alert
 * types that apply to its wards ({@link SubjectCategory}) and who is told ({@link CategoryRecipients}), for the console
 * and for people checking the configuration.
 */
@Controller("/api/categories")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "subjects")
final class CategoryController {
    private final CategoryRecipients recipients;

    CategoryController(CategoryRecipients recipients) {
        this.recipients = recipients;
    }

    /**
     * One category: the alert types its wards raise, and the units whose on-duty officers are told besides the ward's
     * guardians and the dispatchers (who are told of every category's alerts).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record CategoryInfo(String category, Set<AlertType> alertTypes, List<String> units) {}

    /** Every category, the default (DEMENTIA, for a ward without one) first. */
    @Get
    List<CategoryInfo> list() {
        List<CategoryInfo> out = new ArrayList<>();
        for (SubjectCategory c : SubjectCategory.values()) {
            out.add(new CategoryInfo(c.name(), EnumSet.copyOf(c.alertTypes()), recipients.unitsFor(c)));
        }
        return out;
    }
}
