package org.geoward.notify;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The texts of the messages, from the templates in {@code notify_template}: the fence's own template for the key,
 * else the default, with the placeholders filled in. {@code {name}} the subject's name, {@code {place}} the fence's
 * name (or "last known position"), in the configured language ({@code geoward.notify.language}) or else zh-CN, {@code {time}} when the alert opened (for RETURNED: when it was resolved) as
 * {@code MM-dd HH:mm} in the fence's zone (Asia/Shanghai by default), {@code {minutes}} the fence's dwell for LOITER,
 * the subject's offline limit for OFFLINE, else the minutes since the alert opened. Thread-safe.
 */
@Singleton
final class MessageTexts {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm");
    private static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

    private final JdbcOperations jdbc;
    private final NotifySettings settings;

    MessageTexts(JdbcOperations jdbc, NotifySettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /** The text of template {@code key} for {@code occasion}, placeholders filled in. */
    String render(TemplateKey key, Occasion occasion) {
        return fill(template(key, occasion.fenceId()), key, occasion, settings.language());
    }

    /**
     * Fills the placeholders of {@code template} (the text of {@code key}) for {@code occasion}; {@code language}
     * (zh-CN or en) names a place that is no fence. Used for every message and for the console's preview.
     */
    static String fill(String template, TemplateKey key, Occasion occasion, String language) {
        Instant at = key == TemplateKey.RETURNED
                ? (occasion.resolvedAt() != null ? occasion.resolvedAt() : occasion.now())
                : occasion.openedAt();
        Integer minutes =
                switch (occasion.type()) {
                    case "LOITER" -> occasion.dwellMinutes();
                    case "OFFLINE" -> occasion.offlineMinutes();
                    default -> null;
                };
        if (minutes == null) {
            long millis = Duration.between(occasion.openedAt(), occasion.now()).toMillis();
            minutes = (int) Math.round(millis / 60_000.0);
        }
        return template.replace("{name}", String.valueOf(occasion.subjectName()))
                .replace("{place}", occasion.fenceName() != null ? occasion.fenceName() : lastKnownPosition(language))
                .replace("{time}", TIME.format(at.atZone(zone(occasion.zone()))))
                .replace("{minutes}", Integer.toString(minutes));
    }

    private String template(TemplateKey key, Long fenceId) {
        return jdbc.prepareStatement(
                """
                SELECT text FROM notify_template
                WHERE alert_type = ? AND (fence_id = ? OR fence_id IS NULL) AND language IN (?, 'zh-CN')
                ORDER BY fence_id NULLS LAST, language = ? DESC LIMIT 1""",
                ps -> {
                    ps.setString(1, key.name());
                    ps.setObject(2, fenceId, Types.BIGINT);
                    ps.setString(3, settings.language());
                    ps.setString(4, settings.language());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new IllegalStateException("no notify_template for " + key);
                        }
                        return rs.getString(1);
                    }
                });
    }

    private static String lastKnownPosition(String language) {
        return "en".equals(language) ? "last known position" : "最后已知位置";
    }

    private static ZoneId zone(String zone) {
        if (zone == null) {
            return DEFAULT_ZONE;
        }
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            return DEFAULT_ZONE;
        }
    }
}
