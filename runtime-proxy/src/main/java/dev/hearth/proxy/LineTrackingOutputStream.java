package dev.hearth.proxy;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes bytes through and remembers whether the last one ended a line, so a sentinel can always be
 * written on a line of its own even when the action printed without a final newline.
 */
final class LineTrackingOutputStream extends FilterOutputStream {

    private volatile boolean atLineStart = true;

    LineTrackingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        atLineStart = b == '\n';
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        if (len > 0) {
            atLineStart = b[off + len - 1] == '\n';
        }
    }

    boolean atLineStart() {
        return atLineStart;
    }
}
