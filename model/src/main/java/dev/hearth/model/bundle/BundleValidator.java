package dev.hearth.model.bundle;

import java.nio.file.Path;

/**
 * Checks a {@code djl:pytorch} bundle at deploy time, fully: the archive, the manifest, the
 * architecture, the adapters, and that the parameters load into the block. (Contract for the
 * controller; the implementation arrives with the model host.)
 */
public final class BundleValidator {
    private BundleValidator() {
    }

    /** The bundle's manifest when it is deployable; otherwise the reason, as an exception. */
    public static Manifest validate(Path bundleZip) throws InvalidBundleException {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
