package dev.hearth.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.1 connection on a plain socket, for what {@link java.net.http.HttpClient} cannot do:
 * send several requests in one write (pipelining) and keep using exactly this connection. Reads
 * responses framed by {@code Content-Length} only.
 */
final class RawHttpConnection implements AutoCloseable {

    /** A response as read off the wire; header names are lower-cased. */
    record Response(int status, String headers, String body) {}

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String host;

    RawHttpConnection(URI base, Duration readTimeout) throws IOException {
        this.socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout((int) readTimeout.toMillis());
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.host = base.getHost() + ":" + base.getPort();
    }

    /** A request with a body; {@code Content-Length} and {@code Host} are added. */
    String post(String path, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
    }

    /** Writes all the given requests at once, flushed together. */
    void send(String... requests) throws IOException {
        out.write(String.join("", requests).getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The next response; throws {@link java.net.SocketTimeoutException} if none comes in time. */
    Response read() throws IOException {
        String head = readHead();
        int firstLineEnd = head.indexOf("\r\n");
        String statusLine = firstLineEnd < 0 ? head : head.substring(0, firstLineEnd);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        String headers = head.substring(firstLineEnd + 2).toLowerCase(Locale.ROOT);
        int length = -1;
        boolean chunked = false;
        for (String line : headers.split("\r\n")) {
            if (line.startsWith("content-length:")) {
                length = Integer.parseInt(
                        line.substring("content-length:".length()).trim());
            }
            chunked |= line.equals("transfer-encoding: chunked");
        }
        if (chunked) {
            return new Response(status, headers, readChunks());
        }
        if (length < 0) {
            throw new IOException("response without Content-Length or chunks: " + head);
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new IOException("connection closed after " + body.length + " of " + length + " body bytes");
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** A chunked body (no trailers), decoded. */
    private String readChunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(readLine().split(";")[0].trim(), 16);
            if (size == 0) {
                readLine(); // the empty line after the last chunk
                return body.toString(StandardCharsets.UTF_8);
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new IOException("connection closed inside a chunk");
            }
            body.write(chunk);
            readLine(); // the CRLF after the chunk
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("connection closed inside a chunked body");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before a response; read " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - end.length);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
