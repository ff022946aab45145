package dev.hearth.proxy.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One client connection with what has been read of it, handed whole between the thread that reads it in
 * blocking mode and the activation thread's selector (non-blocking mode): a request half-read or a pipelined
 * next one goes with it.
 */
final class Connection {

    private static final int READ_BUFFER_BYTES = 64 * 1024;

    /** How long the activation thread waits for a client that stopped reading its answer. */
    private static final long WRITE_TIMEOUT_MS = 30_000;

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    final SocketChannel channel;
    private final RequestParser parser;
    private final ByteBuffer in = ByteBuffer.allocateDirect(READ_BUFFER_BYTES).flip();
    private boolean ended;

    /** Its registration with the activation thread's selector, while that thread reads it. */
    SelectionKey key;

    Connection(SocketChannel channel, int maxBody) {
        this.channel = channel;
        this.parser = new RequestParser(maxBody);
    }

    /**
     * The next complete request, or null: in blocking mode only at the end of the stream; in non-blocking
     * mode also when nothing more has arrived yet ({@link #ended} tells which).
     */
    Request next() throws IOException, HttpError {
        while (true) {
            Request request = parser.feed(in);
            if (request != null) {
                return request;
            }
            if (parser.takeContinue()) {
                write(ByteBuffer.wrap(CONTINUE));
            }
            in.compact();
            int n;
            try {
                n = channel.read(in);
            } finally {
                in.flip();
            }
            if (n == 0) {
                return null;
            }
            if (n < 0) {
                ended = true;
                return null;
            }
        }
    }

    /** The client closed its side (after a request or in the middle of one). */
    boolean ended() {
        return ended;
    }

    /** Writes {@code response}, adding {@code Connection: close} when {@code close}. */
    void answer(Response response, boolean close) throws IOException {
        write(encode(response, close));
    }

    private void write(ByteBuffer out) throws IOException {
        long deadline = 0;
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) { // non-blocking, the socket's send buffer full
                long now = System.nanoTime();
                if (deadline == 0) {
                    deadline = now + WRITE_TIMEOUT_MS * 1_000_000;
                } else if (now - deadline > 0) {
                    throw new IOException("the client has not read its answer for " + WRITE_TIMEOUT_MS + " ms");
                }
                awaitWritable();
            }
        }
    }

    private void awaitWritable() throws IOException {
        Selector selector = key.selector();
        key.interestOps(SelectionKey.OP_WRITE);
        try {
            selector.select(100);
            selector.selectedKeys().clear();
        } finally {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    void close() {
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    static ByteBuffer encode(Response response, boolean close) {
        StringBuilder head = new StringBuilder(160)
                .append("HTTP/1.1 ")
                .append(response.status())
                .append(' ')
                .append(reason(response.status()))
                .append("\r\n");
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("Content-Length: ").append(response.body().length).append("\r\n");
        if (close) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(h.length + response.body().length)
                .put(h)
                .put(response.body())
                .flip();
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status " + status;
        };
    }
}
