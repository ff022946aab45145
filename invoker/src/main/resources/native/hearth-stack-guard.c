/*
 * Hearth's stack-guard shim for model containers started with hearth.invoker.tensors.merge-runtime
 * (see RuntimeMerging in the invoker). The invoker builds it with the machine's C compiler and preloads
 * it last, after libtorch, so its constructor runs before libtorch's static initialisers.
 *
 * Why: a process's stack-protector canary is a random value the kernel hands it at exec (AT_RANDOM).
 * Every function with a protected frame writes it on the stack, and code that copies a stack object
 * with unused bytes (a short string's buffer, a union, padding) carries stale canaries into the heap.
 * Measured on two merged ResNet-50 containers: 21 MB of libtorch's start-up heap differed between them
 * in nothing but such stale canaries, so the kernel's same-page merging could not merge it. With one
 * canary per machine (HEARTH_STACK_GUARD, chosen at random by the invoker), those pages are identical.
 *
 * The canary is set once, in this constructor, before any frame that checks it is live (the dynamic
 * linker's init path has none); threads copy it from the thread that creates them. x86_64 keeps it in
 * the thread control block (%fs:0x28); elsewhere this shim changes nothing.
 */
#include <stdlib.h>

#if defined(__x86_64__)
__attribute__((constructor)) static void hearth_set_stack_guard(void) {
    const char *value = getenv("HEARTH_STACK_GUARD");
    if (value == NULL) {
        return;
    }
    char *end;
    unsigned long guard = strtoul(value, &end, 16) & ~0xffUL; /* low byte zero, as glibc makes it */
    if (*end != '\0' || guard == 0) {
        return;
    }
    __asm__ volatile("movq %0, %%fs:0x28" : : "r"(guard) : "memory");
}

/* The canary in force, for the proxy's /stats. */
unsigned long hearth_stack_guard(void) {
    unsigned long guard;
    __asm__ volatile("movq %%fs:0x28, %0" : "=r"(guard));
    return guard;
}
#else
unsigned long hearth_stack_guard(void) {
    return 0;
}
#endif
