package dev.hearth.invoker.pool;

import dev.hearth.invoker.container.Container;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A container lent to one activation. {@link #startKind()} says how it was had; unless warm it still
 * needs {@code /init}. Release it exactly once: healthy → it becomes idle and warm; not healthy → it is
 * destroyed.
 */
public final class Lease {
    private final ContainerPool pool;
    private final String slotId;
    private final Container container;
    private final StartKind startKind;
    private final AtomicBoolean released = new AtomicBoolean();

    Lease(ContainerPool pool, String slotId, Container container, StartKind startKind) {
        this.pool = pool;
        this.slotId = slotId;
        this.container = container;
        this.startKind = startKind;
    }

    public Container container() {
        return container;
    }

    public StartKind startKind() {
        return startKind;
    }

    /** The store files the container's proxy reported mapping after {@code /init}: its tensor references. */
    public void attachTensors(java.util.Collection<String> digests) {
        pool.attachTensors(slotId, digests);
    }

    /**
     * The activation is about to {@code /run}: a container whose {@code /init} loaded its code or model
     * takes its action's {@linkplain ContainerPool#setCpuWeight weight} now (warm and pre-loaded ones had
     * it when lent). Call it after {@code /init}, before {@code /run}.
     */
    public void running() {
        pool.running(slotId);
    }

    /** The call's action changed since the call was made: once released the container goes, not kept warm. */
    public void retire() {
        pool.retireWhenReleased(slotId);
    }

    public void release(boolean healthy) {
        if (released.compareAndSet(false, true)) {
            pool.release(slotId, healthy);
        }
    }
}
