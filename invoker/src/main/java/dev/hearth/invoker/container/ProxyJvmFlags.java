package dev.hearth.invoker.container;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-kind JVM flags of a runtime proxy, from the action's kind and memory: the one place both
 * container factories take heap sizing and the model kinds' memory levers from (pure; table-tested).
 *
 * <h2>Heap</h2>
 * The container's memory limit is always the action's whole memory; the heap ({@code -Xmx}) is a share of it:
 * <ul>
 *   <li>{@code java}: {@value #HEAP_PERCENT} % (objects live on the heap; the rest is metaspace, code
 *       cache, thread stacks). 256 MB → 179 MB heap.</li>
 *   <li>model kinds ({@code djl:pytorch}): {@value #MODEL_HEAP_PERCENT} %, at least
 *       {@value #MODEL_HEAP_MIN_MB} MB: weights, activations and libtorch itself live in native memory
 *       outside the heap, and a big heap would only let the JVM take memory the model needs.
 *       512 MB → 128 MB heap + 384 MB native; 4096 MB → 1024 MB heap + 3072 MB native.</li>
 * </ul>
 *
 * <h2>Model kinds: what a warm container keeps</h2>
 * A model container lives long and holds one model; what it keeps privately is paid once per container
 * on a machine whose weights are shared (docs/architecture.md has the smaps table). So model proxies get:
 * <ul>
 *   <li>{@link #FULL_TIERED}: C2 for the Java pre-processing (bench/model-latency, same run: warm overhead
 *       ResNet-50 13.0 → 4.3 ms).</li>
 *   <li>{@code -Xms}{@value #MODEL_INITIAL_HEAP_MB}{@code m}: without it SerialGC commits
 *       min(RAM/64, Xmx) at start (256 MB for a 1 GB action on this 24 GB machine) and sizes the young
 *       generation from that, so inferences touch ~70 MB of it; a small start lets the heap grow only as
 *       far as the live set needs. bench/tensor-sharing, N = 8 ResNet-50: 926 → 861 MiB with shared
 *       weights, 2052 → 1554 MiB without (a private load reads the weights through the heap).</li>
 *   <li>{@code -Xmn}{@value #MODEL_YOUNG_MB}{@code m}: with the young generation sized from a 16 MB start
 *       (4.5 MB of eden, 512 KB survivors) each collection during a request promoted its live 164 KB body
 *       and decoded image, so the old generation filled with garbage: a warm ResNet-50 container under
 *       back-to-back calls held 134 MB in it of which 9.6 MB were live after 5.5 minutes, its RSS grew
 *       ~0.4 MB a second and it faulted ~100 pages a second (session 33, {@code jcmd GC.heap_info}). With
 *       a young generation of ~15 MB the old one stayed at 5 MB (3.5 used), the RSS flat and the faults
 *       near 0 over 5 minutes. In {@code bench/model-latency} the Hearth container had switched, after
 *       ~2000 ResNet-50 calls, to 13–16 ms of kernel time a call. The initial heap holds it and as much
 *       old generation ({@code -Xmn} above {@code -Xms} makes the JVM shrink it with a warning).</li>
 *   <li>{@link #CDS_AT_FIXED_ADDRESS}: map the CDS archives where they were dumped instead of at a
 *       random address. Relocating writes every archive page (14.5 MB private per JVM, measured); at the
 *       dump address the read-only part stays shared page cache: 925 → 861 MiB at N = 8 (8 MB per
 *       container). The cost is the archive's address randomisation inside the container, whose code is
 *       the action's anyway.</li>
 * </ul>
 * The C heap (the largest part) is the proxy's business: it trims glibc's free memory when idle.
 */
public final class ProxyJvmFlags {
    /** Share of a {@code java} action's memory given to the proxy's heap; the rest is metaspace, code, stacks. */
    static final int HEAP_PERCENT = 70;
    /** Share of a model action's memory given to the heap; the rest is native memory for the model. */
    static final int MODEL_HEAP_PERCENT = 25;

    public static final int MODEL_HEAP_MIN_MB = 64;
    /** A model proxy's initial heap: its young generation and as much again for the old one. */
    static final int MODEL_INITIAL_HEAP_MB = 32;
    /** A model proxy's young generation (fixed; half the heap when that is smaller). */
    static final int MODEL_YOUNG_MB = 16;

    /** Overrides {@code -XX:TieredStopAtLevel=1} of RuntimeProxy's recommended flags (the later flag wins). */
    public static final String FULL_TIERED = "-XX:TieredStopAtLevel=4";

    /** Maps the CDS archives at their dump address (no relocation, so their pages stay shared). */
    public static final List<String> CDS_AT_FIXED_ADDRESS =
            List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");

    private ProxyJvmFlags() {}

    /** The heap ({@code -Xmx}) for an action of {@code memoryMb} and {@code kind} (see the class comment). */
    public static int heapMb(int memoryMb, String kind) {
        return ContainerFactory.isModel(kind)
                ? Math.max(MODEL_HEAP_MIN_MB, (int) (memoryMb * (long) MODEL_HEAP_PERCENT / 100))
                : Math.max(16, (int) (memoryMb * (long) HEAP_PERCENT / 100));
    }

    /** The flags to put after the proxy's own ones (later flags win) for an action of this memory and kind. */
    public static List<String> flags(int memoryMb, String kind) {
        List<String> flags = new ArrayList<>();
        int heap = heapMb(memoryMb, kind);
        if (ContainerFactory.isModel(kind)) {
            flags.add(FULL_TIERED);
            flags.add("-Xms" + Math.min(MODEL_INITIAL_HEAP_MB, heap) + "m");
            flags.add("-Xmn" + Math.min(MODEL_YOUNG_MB, heap / 2) + "m");
            flags.addAll(CDS_AT_FIXED_ADDRESS);
        }
        flags.add("-Xmx" + heap + "m");
        return List.copyOf(flags);
    }
}
