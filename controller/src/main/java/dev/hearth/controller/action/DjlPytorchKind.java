package dev.hearth.controller.action;

import dev.hearth.controller.config.ControllerProperties;
import dev.hearth.controller.web.ApiException;
import dev.hearth.model.bundle.BundleValidator;
import dev.hearth.model.bundle.InvalidBundleException;
import dev.hearth.model.bundle.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalInt;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code djl:pytorch}: a model bundle (a zip with {@code manifest.json}, see the model module),
 * inline as base64 with {@code binary: true} or uploaded and named by {@code exec.digest}.
 * {@code exec.main} is not needed. The bundle is streamed to a temporary file and checked fully by
 * {@link BundleValidator} (archive, manifest, architecture, adapters, parameters loading into the
 * block); its refusal is the 400 message. The manifest's {@code memoryMb} is the action's memory when
 * the request sets none; the memory range is {@code min..limits.memory.model-max}.
 *
 * <p>Validation loads the model with DJL in this JVM, so at most one runs at a time. DJL extracts its
 * native libraries once into {@code hearth.controller.djl-cache-dir} (system property
 * {@code DJL_CACHE_DIR}, with {@code ai.djl.offline=true}), set here unless the JVM already has one
 * (in the standalone all services share a JVM and one cache directory).
 */
@Component
class DjlPytorchKind implements ExecKind {
    static final String NAME = "djl:pytorch";
    private static final Logger log = LoggerFactory.getLogger(DjlPytorchKind.class);

    private final Semaphore validations = new Semaphore(1, true);

    DjlPytorchKind(ControllerProperties properties) {
        configureDjl(properties.djlCacheDir());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ControllerProperties.Range memory(ControllerProperties.Limits limits) {
        return limits.memory().models();
    }

    @Override
    public OptionalInt validate(String main, boolean binary, ArtifactContent artifact) {
        if (!binary) {
            throw new ApiException.BadRequest("djl:pytorch actions take a model bundle: 'exec.code' as base64 with "
                    + "'exec.binary' true, or 'exec.digest' of an uploaded artifact.");
        }
        Path bundle = null;
        try {
            validations.acquire();
            try {
                bundle = Files.createTempFile("hearth-bundle-", ".zip");
                Path target = bundle;
                artifact.read((in, size) -> Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING));
                Manifest manifest = BundleValidator.validate(bundle);
                return manifest.memoryMb() > 0 ? OptionalInt.of(manifest.memoryMb()) : OptionalInt.empty();
            } finally {
                validations.release();
            }
        } catch (InvalidBundleException e) {
            throw new ApiException.BadRequest(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool the bundle to a temporary file", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException.Unavailable("Interrupted while waiting to validate the bundle.");
        } finally {
            if (bundle != null) {
                try {
                    Files.deleteIfExists(bundle);
                } catch (IOException e) {
                    log.warn("cannot delete {}: {}", bundle, e.toString());
                }
            }
        }
    }

    static void configureDjl(Path cacheDir) {
        String wanted = cacheDir.toAbsolutePath().toString();
        String current = System.getProperty("DJL_CACHE_DIR");
        if (current == null) {
            System.setProperty("DJL_CACHE_DIR", wanted);
        } else if (!current.equals(wanted)) {
            log.warn(
                    "DJL_CACHE_DIR is already {} in this JVM; hearth.controller.djl-cache-dir {} is not used",
                    current,
                    wanted);
        }
        System.setProperty("ai.djl.offline", "true");
    }
}
