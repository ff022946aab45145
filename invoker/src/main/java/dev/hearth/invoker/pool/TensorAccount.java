package dev.hearth.invoker.pool;

import java.util.Collection;

/**
 * What the pool needs from the machine's tensor store to charge shared weights once (implemented by
 * the invoker's {@code tensors.TensorLedger}; {@link #NONE} when sharing is off). Sizes in MB, shared
 * credits rounded down and store charges rounded up, so the pool never counts more room than there is.
 */
public interface TensorAccount {

    /** The store as a whole: everything it holds, and what no container references. */
    record Store(int storedMb, int reclaimableMb) {}

    /** One container: the weights it maps, and those only it maps. */
    record Share(int sharedMb, int exclusiveMb) {}

    /** A request's bundle: of its weights, those stored, and of those the unreferenced ones. */
    record Stored(int storedMb, int unreferencedMb) {}

    Store store();

    Share container(String containerId);

    Stored bundle(String bundleDigest);

    /**
     * A container is being started for {@code bundleDigest}: the tensors its index names that are stored
     * now are referenced by it from this moment (so they cannot be reclaimed before it maps them).
     */
    void starting(String containerId, String bundleDigest);

    /** The container's proxy reported the store files it maps: they replace what {@link #starting} pinned. */
    void attach(String containerId, Collection<String> digests);

    /** The container is gone or going: its references end. */
    void detach(String containerId);

    /** Removes unreferenced tensors (not those of {@code keepBundleDigest}) until {@code mb} are freed. */
    void reclaim(int mb, String keepBundleDigest);

    /** No tensor store: nothing shared, nothing charged. */
    TensorAccount NONE = new TensorAccount() {
        @Override
        public Store store() {
            return new Store(0, 0);
        }

        @Override
        public Share container(String containerId) {
            return new Share(0, 0);
        }

        @Override
        public Stored bundle(String bundleDigest) {
            return new Stored(0, 0);
        }

        @Override
        public void starting(String containerId, String bundleDigest) {}

        @Override
        public void attach(String containerId, Collection<String> digests) {}

        @Override
        public void detach(String containerId) {}

        @Override
        public void reclaim(int mb, String keepBundleDigest) {}
    };
}
