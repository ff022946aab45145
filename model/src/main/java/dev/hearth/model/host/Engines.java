package dev.hearth.model.host;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Starts DJL's PyTorch engine once per process. It is offline ({@code ai.djl.offline=true} unless set
 * otherwise before the first call: nothing is downloaded; the natives come from the
 * {@code pytorch-native-cpu} jar on the class path). DJL itself reads {@code DJL_CACHE_DIR} (system
 * property, then environment variable; default {@code ~/.djl.ai}) for where it extracts the natives, so
 * an invoker that points every container of a machine at one directory extracts them once per machine.
 * libtorch's own C++ log is set to errors only as the engine starts (see {@link TorchLogLevel}).
 *
 * <p>The engine is a process-wide resource in DJL (a static registry), so this holder is too: the
 * one exception to "no statics" in the module, kept to the engine and its thread count.
 */
final class Engines {

    static final String PYTORCH = "PyTorch";
    private static Engine engine;
    private static int intraOpThreads; // 0: not read or set yet

    private Engines() {}

    /** The PyTorch engine, initialising it now if this is the first call. */
    static synchronized EngineStatus pytorch() {
        if (engine != null) {
            return new EngineStatus(PYTORCH, engine.getVersion(), 0);
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        long start = System.nanoTime();
        Engine e = Engine.getEngine(PYTORCH);
        TorchLogLevel.apply(System.getenv(TorchLogLevel.ENV));
        long ms = (System.nanoTime() - start) / 1_000_000;
        engine = e;
        return new EngineStatus(PYTORCH, e.getVersion(), ms);
    }

    static synchronized Engine engine() {
        pytorch();
        return engine;
    }

    /**
     * Has the engine compute on {@code threads} intra-op threads from now on, when that is not already
     * the count: libtorch's {@code at::set_num_threads}, for the whole process (its OpenMP team size).
     * Cheap enough to call before every request (one JNI call when the count changes, none otherwise).
     */
    static synchronized void intraOpThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("intra-op threads " + threads + " < 1");
        }
        pytorch();
        if (intraOpThreads != threads) {
            JniUtils.setNumThreads(threads);
            intraOpThreads = threads;
        }
    }

    /** The engine's intra-op threads now (libtorch's default: one per core). */
    static synchronized int intraOpThreads() {
        pytorch();
        if (intraOpThreads == 0) {
            intraOpThreads = JniUtils.getNumThreads();
        }
        return intraOpThreads;
    }
}
