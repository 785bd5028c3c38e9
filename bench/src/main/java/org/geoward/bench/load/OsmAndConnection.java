package org.geoward.bench.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One persistent HTTP/1.1 connection to an OsmAnd listener, used as a phone uses it: one request, wait for the whole
 * answer, then the next. Reconnects on the next request after the server closed it or asked to. Not thread-safe:
 * one sender thread owns it.
 */
final class OsmAndConnection implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 30_000;
    private static final int MAX_LINE = 8_192;

    /**
     * The server's answer.
     *
     * @param retryAfterSeconds the Retry-After header in seconds, or -1 without one (or with a date in it)
     */
    record Reply(int status, String body, long retryAfterSeconds) {}

    private final InetSocketAddress address;
    private final String host;
    private final String method;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private long connects;

    OsmAndConnection(URI osmand, String method) {
        this.address = new InetSocketAddress(osmand.getHost(), osmand.getPort());
        this.host = osmand.getHost() + ":" + osmand.getPort();
        this.method = method;
    }

    /** How many TCP connections this has opened so far. */
    long connects() {
        return connects;
    }

    /** Sends one request for {@code target} (path and query) and reads the whole reply. */
    Reply send(String target) throws IOException {
        if (socket == null) {
            connect();
        }
        String head = method + " " + target + " HTTP/1.1\r\nHost: " + host
                + "\r\nUser-Agent: geoward-osmand-load\r\nAccept: */*\r\n"
                + ("POST".equals(method) ? "Content-Length: 0\r\n" : "") + "\r\n";
        try {
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(TIMEOUT_MILLIS);
            s.connect(address, TIMEOUT_MILLIS);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 4_096);
        out = new BufferedOutputStream(s.getOutputStream(), 1_024);
        connects++;
    }

    private Reply read() throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        boolean keepAlive = !parts[0].equals("HTTP/1.0");
        long length = -1;
        boolean chunked = false;
        long retryAfter = -1;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked =
                        value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> keepAlive =
                        !value.equalsIgnoreCase("close") && (keepAlive || value.equalsIgnoreCase("keep-alive"));
                case "retry-after" -> retryAfter = seconds(value);
                default -> {}
            }
        }
        String body;
        if (chunked) {
            body = chunks();
        } else if (length >= 0) {
            byte[] bytes = in.readNBytes((int) length);
            if (bytes.length < length) {
                throw new EOFException("connection closed inside a body of " + length + " bytes");
            }
            body = new String(bytes, StandardCharsets.UTF_8);
        } else {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            keepAlive = false;
        }
        if (!keepAlive) {
            close();
        }
        return new Reply(status, body, retryAfter);
    }

    private String chunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (n == 0) {
                while (!line().isEmpty()) {
                    // trailers
                }
                return body.toString(StandardCharsets.UTF_8);
            }
            body.write(in.readNBytes(n));
            line();
        }
    }

    private static long seconds(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException httpDate) {
            return -1;
        }
    }

    /** Reads one CRLF-terminated line as ISO-8859-1, without the line end. */
    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("header line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
