package dev.hearth.proxy;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * The process's stdout and stderr, shared by the proxy and the action, and the end-of-activation
 * sentinel. {@link #install()} replaces {@code System.out} and {@code System.err} with streams over file
 * descriptors 1 and 2 that remember whether they stand at the start of a line; whatever the action
 * prints goes straight to the process's streams, where the invoker reads it.
 *
 * <p>{@link #endActivation()} flushes both streams and then writes {@value #SENTINEL} on a line of its
 * own on each, so the invoker can cut the activation's logs at the sentinel. (Output from threads the
 * action left running may still land after it; OpenWhisk has the same limit.) {@link #endPrinted()}
 * writes it only on the streams printed on since their last sentinel and says which: a model's
 * activation usually prints nothing, and two sentinels a call had cost two pipe writes before the
 * answer and two reader wake-ups in the invoker. Output that bypasses {@code System.out} and
 * {@code System.err} (native code writing to the descriptors) is not seen: it then waits in the pipe
 * for the next sentinel and lands in the logs of the next activation that prints.
 */
final class ActivationLogs {

    static final String SENTINEL = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";

    /**
     * The header of a {@code /run} answer that names the streams whose sentinel follows it ({@code stdout},
     * {@code stderr}, both comma-separated, or {@code none}). An answer without it is followed by both.
     */
    static final String HEADER = "X-Hearth-Logs";

    private static final String SENTINEL_LINE = SENTINEL + "\n";
    private static final String SENTINEL_NEW_LINE = "\n" + SENTINEL + "\n";

    private final LineTrackingOutputStream outTracker;
    private final LineTrackingOutputStream errTracker;
    private final PrintStream out;
    private final PrintStream err;

    private ActivationLogs(LineTrackingOutputStream outTracker, LineTrackingOutputStream errTracker) {
        this.outTracker = outTracker;
        this.errTracker = errTracker;
        this.out = new PrintStream(outTracker, true, charset("stdout.encoding"));
        this.err = new PrintStream(errTracker, true, charset("stderr.encoding"));
    }

    /** Takes over {@code System.out} and {@code System.err}; call once, before anything prints. */
    static ActivationLogs install() {
        System.out.flush();
        System.err.flush();
        ActivationLogs logs = new ActivationLogs(
                new LineTrackingOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 8192)),
                new LineTrackingOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.err), 8192)));
        System.setOut(logs.out);
        System.setErr(logs.err);
        return logs;
    }

    /** Prints one line on stdout (the proxy's own announcements) and flushes. */
    void announce(String line) {
        out.print(line.concat("\n"));
        out.flush();
    }

    /** Flushes what the action printed, then writes the sentinel on stdout and on stderr. */
    void endActivation() {
        // The action may have swapped the streams; flush whatever they are now, then ours.
        System.out.flush();
        System.err.flush();
        sentinel(out, outTracker);
        sentinel(err, errTracker);
    }

    /** Which streams got a sentinel at the end of an activation. */
    record Ended(boolean stdout, boolean stderr) {
        /** The value of the {@code /run} answer's {@value #HEADER} header. */
        String header() {
            if (stdout && stderr) {
                return "stdout,stderr";
            }
            return stdout ? "stdout" : stderr ? "stderr" : "none";
        }
    }

    /**
     * Flushes what the action printed, then writes the sentinel on each stream printed on since its last
     * sentinel; says which.
     */
    Ended endPrinted() {
        System.out.flush();
        System.err.flush();
        boolean onOut = outTracker.written();
        boolean onErr = errTracker.written();
        if (onOut) {
            sentinel(out, outTracker);
        }
        if (onErr) {
            sentinel(err, errTracker);
        }
        return new Ended(onOut, onErr);
    }

    private static void sentinel(PrintStream stream, LineTrackingOutputStream tracker) {
        stream.flush();
        stream.print(tracker.atLineStart() ? SENTINEL_LINE : SENTINEL_NEW_LINE);
        stream.flush();
        tracker.clearWritten();
    }

    private static Charset charset(String property) {
        String name = System.getProperty(property);
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }
}
