package org.geoward.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * A draft template rendered as its message would read, for a made-up sample alert in the draft's language (a ward
 * 王秀英 / Wang Xiuying, opened 12 minutes ago, a 30-minute dwell or offline limit, a place that fits the key, or the
 * fence's own name for a fence's template), with the same checks as saving ({@link Templates#check}) and the same
 * filling ({@link MessageTexts#fill}). Also counts the characters and the SMS parts the text takes. Reads no one's
 * data; inside the caller's transaction; thread-safe.
 */
@Singleton
final class TemplatePreview {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm");
    private static final int SAMPLE_MINUTES = 30;
    private static final Duration SAMPLE_AGE = Duration.ofMinutes(12);

    /** The GSM 03.38 basic characters (one septet each); anything else makes an SMS UCS-2. */
    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    /** The GSM 03.38 extension characters (an escape plus one septet: two each). */
    private static final String GSM_EXTENDED = "^{}\\[~]|€\f";

    private final Templates templates;

    TemplatePreview(Templates templates) {
        this.templates = templates;
    }

    /** The sample the placeholders were filled with. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Sample(String name, String place, String time, int minutes) {}

    /**
     * The preview: the rendered {@code text}, its length in {@code characters} (code points), and the {@code
     * smsParts} it takes ({@code encoding} GSM-7: 160 in one part, 153 a part beyond; UCS-2, as any Chinese text:
     * 70, 67).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Preview(
            String key,
            String language,
            @Nullable String fenceId,
            String text,
            int characters,
            int smsParts,
            String encoding,
            Sample sample) {}

    /** Checks {@code draft} (400 naming the bare field: key, language, fenceId, text) and renders it. */
    Preview render(@Nullable Templates.Draft draft) {
        Templates.Checked checked = templates.check(draft, null);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant opened = now.minus(SAMPLE_AGE);
        boolean english = "en".equals(checked.language());
        String fenceName = checked.fenceId() != null ? templates.fenceName(checked.fenceId()) : null;
        String place = fenceName != null ? fenceName : samplePlace(checked.key(), english);
        Occasion occasion = new Occasion(
                0,
                0,
                checked.key() == TemplateKey.RETURNED ? "RESOLVED" : "OPENED",
                alertType(checked.key()),
                null,
                english ? "Wang Xiuying" : "王秀英",
                null,
                SAMPLE_MINUTES,
                checked.fenceId(),
                place,
                ZONE.getId(),
                SAMPLE_MINUTES,
                opened,
                now,
                now,
                checked.key() == TemplateKey.RETURNED ? "RETURNED" : null,
                null,
                "{}");
        String text = MessageTexts.fill(checked.text(), checked.key(), occasion, checked.language());
        String shownPlace = place != null ? place : (english ? "last known position" : "最后已知位置");
        Instant at = checked.key() == TemplateKey.RETURNED ? now : opened;
        int minutes = "LOITER".equals(occasion.type()) || "OFFLINE".equals(occasion.type())
                ? SAMPLE_MINUTES
                : (int) SAMPLE_AGE.toMinutes();
        boolean gsm = isGsm(text);
        return new Preview(
                checked.key().name(),
                checked.language(),
                checked.fenceId() == null ? null : Long.toString(checked.fenceId()),
                text,
                text.codePointCount(0, text.length()),
                smsParts(text, gsm),
                gsm ? "GSM-7" : "UCS-2",
                new Sample(occasion.subjectName(), shownPlace, TIME.format(at.atZone(ZONE)), minutes));
    }

    /** The alert type whose step a template tells of. */
    private static String alertType(TemplateKey key) {
        return switch (key) {
            case RETURNED -> "WANDER";
            case LOITER_OFFICERS -> "LOITER";
            default -> key.name();
        };
    }

    /** A place that fits the key, or null where the message is about no fence (the last known position). */
    @Nullable
    private static String samplePlace(TemplateKey key, boolean english) {
        return switch (key) {
            case WANDER, RETURNED -> english ? "Xingfu estate" : "幸福小区";
            case DANGER -> english ? "Wu River bank" : "乌江河岸";
            case LOITER, LOITER_OFFICERS -> english ? "Yangtze Fuling no-fishing zone" : "长江涪陵段禁渔区";
            default -> null;
        };
    }

    static boolean isGsm(String text) {
        return text.chars().allMatch(c -> GSM_BASIC.indexOf(c) >= 0 || GSM_EXTENDED.indexOf(c) >= 0);
    }

    /** The parts an SMS of {@code text} takes: septets for GSM-7 (extension characters count two), else UTF-16 units. */
    static int smsParts(String text, boolean gsm) {
        int units = gsm
                ? text.chars().map(c -> GSM_EXTENDED.indexOf(c) >= 0 ? 2 : 1).sum()
                : text.length();
        int single = gsm ? 160 : 70;
        int part = gsm ? 153 : 67;
        if (units <= single) {
            return 1;
        }
        return (units + part - 1) / part;
    }
}
