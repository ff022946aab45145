package dev.hearth.proxy;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * Offers every anonymous page of this process to the kernel's same-page merging (KSM):
 * {@code prctl(PR_SET_MEMORY_MERGE, 1)}, Linux 6.4 and later. Asked for by the invoker with
 * {@value RuntimeProxy#MERGE_PAGES_ENV}{@code =1} when it runs model containers with {@code hearth.invoker.tensors.merge-runtime}.
 *
 * <p>Why: a model container's own memory is mostly libtorch's start-up heap, the same bytes in every
 * container when the libraries are loaded before the JVM (the invoker preloads them) at the same
 * addresses (it turns address randomisation off for them). KSM then keeps one copy of each such page
 * for the machine. The call covers the regions that exist and every later one. It has no effect while
 * KSM does not run ({@code /sys/kernel/mm/ksm/run} = 0), and fails on kernels without the option
 * (then nothing changes but the figure {@code /stats} reports).
 */
final class PageMerging {
    private static final int PR_SET_MEMORY_MERGE = 67;
    private static volatile boolean on;
    private static volatile boolean sharedStackGuard;

    private PageMerging() {}

    /** Requests merging when {@value RuntimeProxy#MERGE_PAGES_ENV} is {@code 1}; true when the kernel accepted it. */
    static boolean requestIfAsked() {
        if (!"1".equals(System.getenv(RuntimeProxy.MERGE_PAGES_ENV))) {
            return false;
        }
        try {
            Function prctl = NativeLibrary.getInstance("c").getFunction("prctl");
            on = prctl.invokeInt(new Object[] {PR_SET_MEMORY_MERGE, 1L, 0L, 0L, 0L}) == 0;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            on = false;
        }
        sharedStackGuard = stackGuardIs(System.getenv(RuntimeProxy.STACK_GUARD_ENV));
        return on;
    }

    /**
     * Whether the invoker's stack-guard shim (preloaded, exporting {@code hearth_stack_guard}) has set
     * this process's canary to {@code expected} (hex): then stale canaries on the C heap are the same
     * bytes in every merged container of the machine.
     */
    static boolean stackGuardIs(String expected) {
        if (expected == null) {
            return false;
        }
        try {
            long guard =
                    NativeLibrary.getProcess().getFunction("hearth_stack_guard").invokeLong(new Object[0]);
            return guard != 0 && guard == (Long.parseUnsignedLong(expected, 16) & ~0xffL);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false; // no shim preloaded, or a value it would not take
        }
    }

    /** Whether this process's pages are offered to KSM. */
    static boolean on() {
        return on;
    }

    /** Whether this process runs with the machine's shared stack canary (see {@link #stackGuardIs}). */
    static boolean sharedStackGuard() {
        return sharedStackGuard;
    }
}
