package dev.hearth.proxy.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads HTTP/1.1 requests out of bytes as they arrive, one request at a time, whoever reads the socket:
 * a thread blocked on its connection or the activation thread's selector loop ({@link ProxyServer}). Feed
 * it what was read; it consumes bytes up to the end of one request and returns it, or returns null when it
 * needs more. Bytes of the next request (a pipelining client) stay in the buffer for the next call.
 *
 * <p>What it reads: a request line ({@code METHOD target HTTP/1.1} or {@code HTTP/1.0}; empty lines before it
 * are skipped, lines may end in LF alone), header lines, then a body of {@code Content-Length} bytes or in
 * {@code chunked} transfer coding (chunk extensions and trailers read and dropped). {@code Transfer-Encoding}
 * wins over {@code Content-Length}, and such a request closes its connection (RFC 9112, 6.3). It refuses,
 * with the status to answer: a malformed request line, header or chunk (400), a head past
 * {@value #MAX_HEAD_BYTES} bytes (431), a body past the limit (413), a transfer coding other than
 * {@code chunked} (501), an HTTP version other than 1.x (505).
 *
 * <p>{@code Expect: 100-continue}: when the head asks for it and the body has not come yet,
 * {@link #takeContinue} says so once, and the reader sends the interim answer (curl asks for bodies past
 * 1 MB and waits a second for it).
 */
public final class RequestParser {

    /** The most a request's head (request line and headers), or a chunked body's trailer, may take. */
    public static final int MAX_HEAD_BYTES = 64 * 1024;

    private static final int MAX_CHUNK_LINE = 1024;

    /** Compiled once: {@code String.split} with this pattern would compile it again for every request. */
    private static final Pattern LINE_END = Pattern.compile("\r?\n");

    private enum State {
        HEAD,
        BODY,
        CHUNK_SIZE,
        CHUNK_DATA,
        CHUNK_END,
        TRAILER
    }

    private final int maxBody;
    private State state = State.HEAD;

    private byte[] head = new byte[512];
    private int headLength;
    private int lineStart;

    private String method;
    private String path;
    private boolean keepAlive;
    private boolean continuePending;

    private byte[] body;
    private int bodyLength;
    private long chunkLeft;
    private int trailerBytes;
    private final StringBuilder line = new StringBuilder();

    /** @param maxBody the largest body accepted, in bytes; a larger one is refused with 413 */
    public RequestParser(int maxBody) {
        this.maxBody = maxBody;
    }

    /**
     * Consumes bytes of {@code in} (in read mode) up to the end of one request.
     *
     * @return the request, or null when {@code in} ran out first (everything read is kept)
     * @throws HttpError when the bytes are not a request this parser accepts; the parser is then unusable
     */
    public Request feed(ByteBuffer in) throws HttpError {
        while (in.hasRemaining()) {
            switch (state) {
                case HEAD -> {
                    if (head(in) && state == State.HEAD) {
                        return complete(); // a request without a body
                    }
                }
                case BODY -> {
                    int n = Math.min(in.remaining(), body.length - bodyLength);
                    in.get(body, bodyLength, n);
                    bodyLength += n;
                    if (bodyLength == body.length) {
                        return complete();
                    }
                }
                case CHUNK_SIZE -> {
                    String size = line(in);
                    if (size != null) {
                        chunkSize(size);
                    }
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(in.remaining(), chunkLeft);
                    in.get(body, bodyLength, n);
                    bodyLength += n;
                    chunkLeft -= n;
                    if (chunkLeft == 0) {
                        state = State.CHUNK_END;
                    }
                }
                case CHUNK_END -> {
                    String end = line(in);
                    if (end != null) {
                        if (!end.isEmpty()) {
                            throw new HttpError(400, "A chunk of the request body does not end where its size says.");
                        }
                        state = State.CHUNK_SIZE;
                    }
                }
                case TRAILER -> {
                    String trailer = line(in);
                    if (trailer != null) {
                        if (trailer.isEmpty()) {
                            return complete();
                        }
                        trailerBytes += trailer.length() + 2;
                        if (trailerBytes > MAX_HEAD_BYTES) {
                            throw new HttpError(
                                    431, "The request's trailer is larger than " + MAX_HEAD_BYTES + " bytes.");
                        }
                    }
                }
            }
        }
        return null;
    }

    /** True once after a head that asked for {@code 100-continue}, while its body has not come. */
    public boolean takeContinue() {
        boolean c = continuePending;
        continuePending = false;
        return c;
    }

    /** Some bytes of a request are read and it is not complete (an end of stream now cuts it short). */
    public boolean midRequest() {
        return state != State.HEAD || headLength > 0;
    }

    /** Reads head bytes; true when the head is complete and parsed (state then says what follows). */
    private boolean head(ByteBuffer in) throws HttpError {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (headLength == head.length) {
                if (head.length >= MAX_HEAD_BYTES) {
                    throw new HttpError(431, "The request's head is larger than " + MAX_HEAD_BYTES + " bytes.");
                }
                head = Arrays.copyOf(head, Math.min(head.length * 2, MAX_HEAD_BYTES));
            }
            head[headLength++] = b;
            if (b == '\n') {
                int end = headLength - 1;
                if (end > lineStart && head[end - 1] == '\r') {
                    end--;
                }
                if (end == lineStart) { // an empty line
                    if (lineStart == 0) {
                        headLength = 0; // before the request line: skipped
                    } else {
                        parseHead();
                        return true;
                    }
                } else {
                    lineStart = headLength;
                }
            }
        }
        return false;
    }

    private void parseHead() throws HttpError {
        String[] lines = LINE_END.split(new String(head, 0, headLength, StandardCharsets.ISO_8859_1));
        headLength = 0;
        lineStart = 0;
        requestLine(lines[0]);
        long contentLength = -1;
        StringBuilder transferEncoding = null;
        boolean expectContinue = false;
        for (int i = 1; i < lines.length; i++) {
            String header = lines[i];
            if (header.isEmpty()) {
                continue;
            }
            int colon = header.indexOf(':');
            if (colon <= 0 || header.charAt(0) == ' ' || header.charAt(0) == '\t' || hasSpace(header, colon)) {
                throw new HttpError(400, "Malformed header line in the request: " + clip(header));
            }
            String name = header.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).strip();
            switch (name) {
                case "content-length" -> {
                    long n = contentLength(value);
                    if (contentLength >= 0 && contentLength != n) {
                        throw new HttpError(400, "The request has two different Content-Length headers.");
                    }
                    contentLength = n;
                }
                case "transfer-encoding" -> {
                    if (transferEncoding == null) {
                        transferEncoding = new StringBuilder(value);
                    } else {
                        transferEncoding.append(',').append(value);
                    }
                }
                case "connection" -> connection(value);
                case "expect" -> expectContinue = value.equalsIgnoreCase("100-continue");
                default -> {}
            }
        }
        body = null;
        bodyLength = 0;
        if (transferEncoding != null) {
            if (!transferEncoding.toString().strip().equalsIgnoreCase("chunked")) {
                throw new HttpError(
                        501,
                        "Transfer-Encoding " + clip(transferEncoding.toString())
                                + " is not supported; send the body whole or chunked.");
            }
            keepAlive = false;
            body = new byte[0];
            state = State.CHUNK_SIZE;
        } else if (contentLength > maxBody) {
            throw new HttpError(
                    413,
                    "The request body (" + contentLength + " bytes) is larger than the " + maxBody + " bytes allowed.");
        } else if (contentLength > 0) {
            body = new byte[(int) contentLength];
            state = State.BODY;
        } else {
            state = State.HEAD; // no body: complete
        }
        continuePending = expectContinue && state != State.HEAD;
    }

    private void requestLine(String requestLine) throws HttpError {
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new HttpError(400, "Malformed request line: " + clip(requestLine));
        }
        String version = parts[2];
        if (version.equals("HTTP/1.1")) {
            keepAlive = true;
        } else if (version.equals("HTTP/1.0")) {
            keepAlive = false;
        } else if (version.startsWith("HTTP/")) {
            throw new HttpError(505, "HTTP version " + clip(version) + " is not supported; use HTTP/1.1.");
        } else {
            throw new HttpError(400, "Malformed request line: " + clip(requestLine));
        }
        method = parts[0];
        String target = parts[1];
        if (!target.startsWith("/")) { // absolute form: http://host:port/path
            int scheme = target.indexOf("://");
            int slash = scheme < 0 ? -1 : target.indexOf('/', scheme + 3);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        int query = target.indexOf('?');
        path = query < 0 ? target : target.substring(0, query);
    }

    private void connection(String value) {
        for (String token : value.split(",")) {
            String t = token.strip();
            if (t.equalsIgnoreCase("close")) {
                keepAlive = false;
            } else if (t.equalsIgnoreCase("keep-alive")) {
                keepAlive = true;
            }
        }
    }

    private static long contentLength(String value) throws HttpError {
        if (value.isEmpty() || value.length() > 18) {
            throw new HttpError(400, "Malformed Content-Length: " + clip(value));
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                throw new HttpError(400, "Malformed Content-Length: " + clip(value));
            }
        }
        return Long.parseLong(value);
    }

    private void chunkSize(String sizeLine) throws HttpError {
        int semicolon = sizeLine.indexOf(';');
        String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip();
        long size;
        try {
            if (hex.isEmpty() || hex.length() > 15 || hex.charAt(0) == '-' || hex.charAt(0) == '+') {
                throw new NumberFormatException();
            }
            size = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new HttpError(400, "Malformed chunk size in the request body: " + clip(sizeLine));
        }
        if (size == 0) {
            trailerBytes = 0;
            state = State.TRAILER;
            return;
        }
        if (bodyLength + size > maxBody) {
            throw new HttpError(413, "The request body is larger than the " + maxBody + " bytes allowed.");
        }
        int need = (int) (bodyLength + size);
        if (need > body.length) {
            body = Arrays.copyOf(body, (int) Math.min(maxBody, Math.max(need, (long) body.length * 2)));
        }
        chunkLeft = size;
        state = State.CHUNK_DATA;
    }

    /** A line of the chunked framing, without its line end; null while incomplete. */
    private String line(ByteBuffer in) throws HttpError {
        while (in.hasRemaining()) {
            char c = (char) (in.get() & 0xff);
            if (c == '\n') {
                int n = line.length();
                String text = n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
                line.setLength(0);
                return text;
            }
            if (line.length() >= MAX_CHUNK_LINE) {
                throw new HttpError(
                        400, "A line of the chunked request body is longer than " + MAX_CHUNK_LINE + " bytes.");
            }
            line.append(c);
        }
        return null;
    }

    private Request complete() {
        byte[] bytes;
        if (body == null) {
            bytes = new byte[0];
        } else if (bodyLength == body.length) {
            bytes = body;
        } else {
            bytes = Arrays.copyOf(body, bodyLength);
        }
        Request request = new Request(method, path, bytes, keepAlive);
        state = State.HEAD;
        body = null;
        bodyLength = 0;
        continuePending = false;
        return request;
    }

    private static boolean hasSpace(String header, int colon) {
        for (int i = 0; i < colon; i++) {
            char c = header.charAt(i);
            if (c == ' ' || c == '\t') {
                return true;
            }
        }
        return false;
    }

    private static String clip(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
