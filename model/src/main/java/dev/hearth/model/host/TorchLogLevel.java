package dev.hearth.model.host;

import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.NativeLibrary;
import java.nio.file.Path;

/**
 * How much of libtorch's own C++ log ({@code c10}'s {@code LOG(WARNING)} and the like) reaches the
 * process's stderr. Left at libtorch's default (warnings), PyTorch 2.7 writes "Could not initialize
 * NNPACK! Reason: Unsupported hardware." once per qualifying convolution of every forward pass on a
 * CPU NNPACK does not support (8 lines per ResNet-18 pass on these machines): in a container each line
 * is a write to a pipe, a wake-up of the invoker's log reader and a line in the activation's record.
 * Measured on a warm ResNet-18 through the platform, alternating blocks: p50 20.3 ms quiet against 24.6
 * with the lines, ~2–10 ms less container CPU per call.
 *
 * <p>The level is {@code ERROR} unless {@value #ENV} is set, PyTorch's own variable: then libtorch reads it
 * itself ({@code c10::initLogging()}, what Python's {@code torch} calls at import; an embedded libtorch
 * never does, so without this the variable has no effect under DJL).
 */
final class TorchLogLevel {
    static final String ENV = "TORCH_CPP_LOG_LEVEL";
    /** c10's severities: 0 INFO, 1 WARNING, 2 ERROR, 3 FATAL. */
    static final int ERROR = 2;

    private static final String FLAG = "FLAGS_caffe2_log_level";
    private static final String INIT_LOGGING = "_ZN3c1011initLoggingEv"; // c10::initLogging()
    private static final System.Logger LOG = System.getLogger(TorchLogLevel.class.getName());

    private TorchLogLevel() {}

    /**
     * Sets the level of the libtorch this process has loaded (the engine must be up). A libtorch without
     * these symbols (another build, another layout) keeps its own level, with a warning: the engine works
     * either way.
     */
    static void apply(String envValue) {
        try {
            NativeLibrary c10 = c10();
            if (envValue != null) {
                c10.getFunction(INIT_LOGGING).invokeVoid(new Object[0]);
            } else {
                c10.getGlobalVariableAddress(FLAG).setInt(0, ERROR);
            }
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "libtorch's C++ log level left as it is: " + e);
        }
    }

    /** The level libtorch logs at now. */
    static int current() {
        return c10().getGlobalVariableAddress(FLAG).getInt(0);
    }

    /** The {@code libc10.so} DJL loaded (opening it again returns the same library, already in memory). */
    private static NativeLibrary c10() {
        return NativeLibrary.getInstance(
                Path.of(LibUtils.getLibtorchPath()).resolve("libc10.so").toString());
    }
}
