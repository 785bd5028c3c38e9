package org.geoward.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature: {@code sha256=} and the hex HMAC-SHA256, keyed with the subscription secret, over
 * {@code timestamp + "." + body}. A receiver recomputes it and rejects old timestamps to stop replays. Stateless.
 */
final class WebhookSignature {
    private WebhookSignature() {}

    /** The {@code X-Geoward-Signature} value for {@code body} sent at {@code timestamp} (epoch seconds). */
    static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
