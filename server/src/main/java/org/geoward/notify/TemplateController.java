package org.geoward.notify;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * The message texts, for admins: {@code GET /api/notify/templates} lists every template with the placeholders and the
 * language messages are sent in; {@code PUT /api/notify/templates} {@code {templates: [{key, language, text,
 * fenceId?}]}} changes some (all or none: 400 naming the first template with an unknown key or language, an empty text
 * or an unknown placeholder) and answers the new list. The next message uses the new text.
 */
@Controller("/api/notify/templates")
@Secured("ADMIN")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "notify", description = "Notifications: outbox, webhooks, message templates")
class TemplateController {
    private final Templates templates;
    private final NotifySettings settings;

    TemplateController(Templates templates, NotifySettings settings) {
        this.templates = templates;
        this.settings = settings;
    }

    /** The answer: every template, the placeholders a text may use, and the language messages go out in. */
    @Serdeable
    record TemplateList(String sendingLanguage, List<String> placeholders, List<Template> templates) {}

    /** The body of {@code PUT}: the templates to change. */
    @Serdeable
    record Changes(@Nullable List<Templates.Draft> templates) {}

    @Get
    @Transactional
    TemplateList list() {
        return new TemplateList(settings.language(), Templates.PLACEHOLDERS, templates.list());
    }

    @Put
    @Transactional
    TemplateList save(@Body Changes changes, Authentication authentication) {
        templates.save(changes.templates(), authentication.getName());
        return list();
    }
}
