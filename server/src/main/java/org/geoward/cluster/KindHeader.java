package org.geoward.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.geoward.evaluate.SubjectKind;

/**
 * The record header {@code kind} on a fix of the topic: its subject's kind, as the producing node resolved it (the
 * enum's name in ASCII). A reader that wants one kind only, as {@link GuardianTail} wants the guardians', skips the
 * other records without decoding them. Resolutions carry none, nor did fixes produced before 2026-12-07: a record
 * without it has to be decoded. Immutable.
 */
final class KindHeader {
    static final String NAME = "kind";

    private static final Map<SubjectKind, List<Header>> HEADERS = new EnumMap<>(SubjectKind.class);

    static {
        for (SubjectKind kind : SubjectKind.values()) {
            HEADERS.put(kind, List.of(new RecordHeader(NAME, kind.name().getBytes(StandardCharsets.US_ASCII))));
        }
    }

    private KindHeader() {}

    /** The headers of a fix of a subject of this kind; none for {@code null} (a resolution, an unknown subject). */
    static List<Header> of(SubjectKind kind) {
        return kind == null ? List.of() : HEADERS.get(kind);
    }

    /** Tells whether {@code headers} name a kind and it is not {@code kind}: the record can be skipped undecoded. */
    static boolean namesOtherThan(Headers headers, SubjectKind kind) {
        Header h = headers.lastHeader(NAME);
        return h != null && !Arrays.equals(h.value(), HEADERS.get(kind).get(0).value());
    }
}
