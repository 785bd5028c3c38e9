package org.geoward.notify;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.transaction.Transactional;
import java.util.List;
import org.geoward.audit.NotAudited;

/**
 * The message texts, for admins: {@code GET /api/notify/templates} lists every template with the placeholders and the
 * language messages are sent in; {@code PUT /api/notify/templates} {@code {templates: [{key, language, text,
 * fenceId?}]}} changes some (all or none: 400 naming the first template with an unknown key or language, an empty text
 * or an unknown placeholder) and answers the new list. The next message uses the new text. {@code POST
 * /api/notify/templates/preview} {@code {key, language, text, fenceId?}} renders a draft for a sample alert with the
 * same checks, so the console shows the message (or the fault) before it is saved.
 */
@Controller("/api/notify/templates")
@Secured("ADMIN")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "notify", description = "Notifications: outbox, webhooks, message templates")
class TemplateController {
    private final Templates templates;
    private final NotifySettings settings;
    private final TemplatePreview preview;

    TemplateController(Templates templates, NotifySettings settings, TemplatePreview preview) {
        this.templates = templates;
        this.settings = settings;
        this.preview = preview;
    }

    /** The answer: every template, the placeholders a text may use, and the language messages go out in. */
    @Serdeable
    record TemplateList(String sendingLanguage, List<String> placeholders, List<Template> templates) {}

    /** The body of {@code PUT}: the templates to change. */
    @Serdeable
    record Changes(@Nullable List<Templates.Draft> templates) {}

    @Get
    @Transactional
    @Operation(summary = "Every message template, the placeholders a text may use and the language messages go out in")
    TemplateList list() {
        return new TemplateList(settings.language(), Templates.PLACEHOLDERS, templates.list());
    }

    @Put
    @Transactional
    @Operation(
            summary = "Change templates: {templates: [{key, language, text, fenceId?}]}; all or none; answers the list")
    TemplateList save(@Body Changes changes, Authentication authentication) {
        templates.save(changes.templates(), authentication.getName());
        return list();
    }

    @Post("/preview")
    @Transactional
    @NotAudited("renders a draft text for a made-up sample alert: reads and stores no person's data")
    @Operation(
            summary = "Preview a draft: {key, language, text, fenceId?} → the message for a sample alert, its"
                    + " characters and SMS parts; 400 naming the field (an unknown placeholder: text)")
    TemplatePreview.Preview preview(@Nullable @Body Templates.Draft draft) {
        return preview.render(draft);
    }
}
