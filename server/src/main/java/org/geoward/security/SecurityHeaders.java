package org.geoward.security;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adds the browser's defences to every answer: {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy:
 * no-referrer}, and a {@code Content-Security-Policy} that allows only this server's scripts (plus the console's inline
 * import map, by its SHA-256 hash, computed at start from {@code index.html}), no plugins, and no framing by other
 * sites ({@code frame-ancestors 'none'}). Map tiles may come from any HTTPS server, as the tile URL is configurable.
 * Swagger UI, which needs inline scripts of its own, gets the headers without a script policy.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class SecurityHeaders implements Ordered {
    private static final Pattern INLINE_SCRIPT =
            Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>(.*?)</script>", Pattern.DOTALL);

    private final String consolePolicy;

    SecurityHeaders() {
        StringBuilder scripts = new StringBuilder("'self'");
        for (String hash : inlineScriptHashes("geoward-web/index.html")) {
            scripts.append(" 'sha256-").append(hash).append('\'');
        }
        this.consolePolicy = "default-src 'self'; script-src " + scripts
                + "; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; connect-src 'self';"
                + " object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    }

    /** First in the chain, so that answers the security filter gives itself (401, 403) get the headers too. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }

    /** The policy given to the console's pages. */
    String consolePolicy() {
        return consolePolicy;
    }

    @ResponseFilter
    void addHeaders(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.header("X-Content-Type-Options", "nosniff");
        response.header("Referrer-Policy", "no-referrer");
        if (request.getPath().startsWith("/swagger-ui")) {
            response.header("Content-Security-Policy", "frame-ancestors 'none'; object-src 'none'");
        } else {
            response.header("Content-Security-Policy", consolePolicy);
        }
    }

    /** The base64 SHA-256 of each inline script in the class path resource {@code page}; none when it is absent. */
    static List<String> inlineScriptHashes(String page) {
        List<String> hashes = new ArrayList<>();
        try (InputStream in = SecurityHeaders.class.getClassLoader().getResourceAsStream(page)) {
            if (in == null) {
                return hashes;
            }
            Matcher m = INLINE_SCRIPT.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            while (m.find()) {
                byte[] digest = sha.digest(m.group(1).getBytes(StandardCharsets.UTF_8));
                hashes.add(Base64.getEncoder().encodeToString(digest));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return hashes;
    }
}
