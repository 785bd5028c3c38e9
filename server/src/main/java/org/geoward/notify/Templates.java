package org.geoward.notify;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.geoward.problem.ProblemException;

/**
 * The editable message templates ({@code notify_template}): lists them and checks and stores changes. A text must not
 * be empty and may use only the placeholders {@link MessageTexts} fills in. Inside the caller's transaction;
 * thread-safe.
 */
@Singleton
final class Templates {
    /** The placeholders a template may use. */
    static final List<String> PLACEHOLDERS = List.of("{name}", "{place}", "{time}", "{minutes}");

    static final Set<String> LANGUAGES = Set.of("zh-CN", "en");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^{}]*}");

    private final JdbcOperations jdbc;

    Templates(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** A change: the new {@code text} of template {@code key} in {@code language} (for {@code fenceId}, or default). */
    @Serdeable
    record Draft(@Nullable String key, @Nullable String language, @Nullable String fenceId, @Nullable String text) {}

    /** Every template, defaults first, by key and language. */
    List<Template> list() {
        return jdbc.prepareStatement(
                """
                SELECT alert_type, language, fence_id, text, updated_at, updated_by FROM notify_template
                ORDER BY fence_id NULLS FIRST, alert_type, language""",
                ps -> {
                    List<Template> found = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long fence = rs.getLong("fence_id");
                            String fenceId = rs.wasNull() ? null : Long.toString(fence);
                            found.add(new Template(
                                    rs.getString("alert_type"),
                                    rs.getString("language"),
                                    fenceId,
                                    rs.getString("text"),
                                    rs.getTimestamp("updated_at").toInstant(),
                                    rs.getString("updated_by")));
                        }
                    }
                    return found;
                });
    }

    /** Checks every draft (400 naming the first bad one and why), then stores them all; by {@code username}. */
    void save(@Nullable List<Draft> drafts, String username) {
        if (drafts == null || drafts.isEmpty()) {
            throw ProblemException.badRequest("templates", "give at least one template: {key, language, text}");
        }
        List<Checked> checked = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            checked.add(check(drafts.get(i), "templates[" + i + "]"));
        }
        for (Checked c : checked) {
            jdbc.prepareStatement(
                    """
                    INSERT INTO notify_template (fence_id, alert_type, language, text, updated_at, updated_by)
                    VALUES (?, ?, ?, ?, now(), ?)
                    ON CONFLICT (coalesce(fence_id, 0), alert_type, language)
                    DO UPDATE SET text = EXCLUDED.text, updated_at = now(), updated_by = EXCLUDED.updated_by""",
                    ps -> {
                        ps.setObject(1, c.fenceId(), Types.BIGINT);
                        ps.setString(2, c.key().name());
                        ps.setString(3, c.language());
                        ps.setString(4, c.text());
                        ps.setString(5, username);
                        return ps.executeUpdate();
                    });
        }
    }

    /** A draft that passed {@link #check}: its key, language, fence (or null) and stripped text. */
    record Checked(TemplateKey key, String language, @Nullable Long fenceId, String text) {}

    /**
     * Checks one draft as {@code PUT} would; the fields the 400 names start with {@code at} ("templates[2]"), or are
     * bare ("text") when {@code at} is null.
     */
    Checked check(@Nullable Draft draft, @Nullable String at) {
        if (draft == null) {
            throw ProblemException.badRequest(
                    at, (at == null ? "the body" : at) + " is empty: give {key, language, text}");
        }
        TemplateKey key = key(draft.key(), field(at, "key"));
        String language = draft.language() == null ? "" : draft.language().trim();
        if (!LANGUAGES.contains(language)) {
            throw ProblemException.badRequest(
                    field(at, "language"),
                    field(at, "language") + " '" + draft.language() + "' is not one of zh-CN, en");
        }
        Long fenceId = fence(draft.fenceId(), field(at, "fenceId"));
        String text = draft.text() == null ? "" : draft.text().strip();
        String which = key + " (" + language + ")";
        String textField = field(at, "text");
        if (text.isEmpty()) {
            throw ProblemException.badRequest(textField, textField + " of " + which + " is empty");
        }
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group())) {
                throw ProblemException.badRequest(
                        textField,
                        textField + " of " + which + " has the unknown placeholder " + m.group() + "; use "
                                + String.join(" ", PLACEHOLDERS));
            }
        }
        return new Checked(key, language, fenceId, text);
    }

    private static String field(@Nullable String at, String name) {
        return at == null ? name : at + "." + name;
    }

    /** The name of fence {@code id}, or null when it has none; the fence exists ({@link #check} said so). */
    @Nullable
    String fenceName(long id) {
        return jdbc.prepareStatement("SELECT name FROM fence WHERE id = ?", ps -> {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    private static TemplateKey key(@Nullable String key, String field) {
        try {
            return TemplateKey.valueOf(key == null ? "" : key.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(
                    field, field + " '" + key + "' is not one of " + Arrays.toString(TemplateKey.values()));
        }
    }

    private Long fence(@Nullable String fenceId, String field) {
        if (fenceId == null || fenceId.isBlank()) {
            return null;
        }
        long id;
        try {
            id = Long.parseLong(fenceId.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(field, field + " '" + fenceId + "' is not a fence id");
        }
        boolean exists = jdbc.prepareStatement("SELECT EXISTS (SELECT 1 FROM fence WHERE id = ?)", ps -> {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        });
        if (!exists) {
            throw ProblemException.badRequest(field, field + ": there is no fence " + id);
        }
        return id;
    }
}
