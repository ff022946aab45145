package dev.hearth.model.bundle;

import dev.hearth.model.host.LoadedModel;
import dev.hearth.model.host.ModelHost;
import java.nio.file.Path;

/**
 * Checks a {@code djl:pytorch} bundle at deploy time, fully: the archive, the manifest, the
 * architecture, the adapters, and that the parameters load into the block. It loads the model with
 * the {@link ModelHost} (so the PyTorch engine is initialised in the calling process), runs it once on
 * zeros of the expected input, checks the output adapter fits the output, and frees everything.
 */
public final class BundleValidator {
    private BundleValidator() {}

    /** The bundle's manifest when it is deployable; otherwise the reason, as an exception. */
    public static Manifest validate(Path bundleZip) throws InvalidBundleException {
        try (LoadedModel model = new ModelHost().load(bundleZip)) {
            model.selfTest();
            return model.manifest();
        }
    }
}
