package dev.hearth.model.host;

import ai.djl.engine.Engine;

/**
 * Starts DJL's PyTorch engine once per process. It is offline ({@code ai.djl.offline=true} unless set
 * otherwise before the first call: nothing is downloaded; the natives come from the
 * {@code pytorch-native-cpu} jar on the class path). DJL itself reads {@code DJL_CACHE_DIR} (system
 * property, then environment variable; default {@code ~/.djl.ai}) for where it extracts the natives, so
 * an invoker that points every container of a machine at one directory extracts them once per machine.
 *
 * <p>The engine is a process-wide resource in DJL (a static registry), so this holder is too: the
 * one exception to "no statics" in the module, kept to a flag and a timing.
 */
final class Engines {

    static final String PYTORCH = "PyTorch";
    private static Engine engine;

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
        long ms = (System.nanoTime() - start) / 1_000_000;
        engine = e;
        return new EngineStatus(PYTORCH, e.getVersion(), ms);
    }

    static synchronized Engine engine() {
        pytorch();
        return engine;
    }
}
