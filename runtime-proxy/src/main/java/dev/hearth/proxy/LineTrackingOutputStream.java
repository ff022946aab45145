package dev.hearth.proxy;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes bytes through and remembers whether the last one ended a line, so a sentinel can always be
 * written on a line of its own even when the action printed without a final newline, and whether
 * anything passed since {@link #clearWritten()}, so a stream nobody printed on needs no sentinel.
 */
final class LineTrackingOutputStream extends FilterOutputStream {

    private volatile boolean atLineStart = true;
    private volatile boolean written;

    LineTrackingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        atLineStart = b == '\n';
        written = true;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        if (len > 0) {
            atLineStart = b[off + len - 1] == '\n';
            written = true;
        }
    }

    boolean atLineStart() {
        return atLineStart;
    }

    /** Whether anything was written since the last {@link #clearWritten()} (or since the start). */
    boolean written() {
        return written;
    }

    void clearWritten() {
        written = false;
    }
}
