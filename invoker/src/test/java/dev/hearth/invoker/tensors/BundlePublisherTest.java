package dev.hearth.invoker.tensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.hearth.invoker.tensors.BundlePublisher.Outcome;
import dev.hearth.model.demo.DemoModels;
import dev.hearth.model.host.LoadedModel;
import dev.hearth.model.host.ModelHost;
import dev.hearth.model.tensors.TensorIndex;
import dev.hearth.model.tensors.TensorStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The invoker publishing a bundle's weights for containers that can only read the store (real DJL, real files). */
class BundlePublisherTest {
    @TempDir
    static Path models;

    @TempDir
    Path root;

    static Path resnet;
    static String digest;

    @BeforeAll
    static void build() throws Exception {
        resnet = DemoModels.resnet18(models);
        digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(resnet)));
    }

    static JsonObject image() {
        JsonObject request = new JsonObject();
        request.addProperty("image", Base64.getEncoder().encodeToString(DemoModels.testImagePng(64, 64, 3)));
        return request;
    }

    @Test
    void publishesEveryTensorAndTheIndexAProxyLoadsFromWithoutWritingAnything() throws Exception {
        TensorStore store = new TensorStore(root);
        BundlePublisher publisher = new BundlePublisher(store);
        BundlePublisher.Result first = publisher.publish(resnet, digest);
        assertThat(first.outcome()).as(String.valueOf(first.reason())).isEqualTo(Outcome.PUBLISHED);
        assertThat(first.tensors()).isGreaterThan(10);
        assertThat(store.stats().tensors()).isPositive().isLessThanOrEqualTo(first.tensors());
        Path index = root.resolve(".index").resolve(digest);
        byte[] indexBytes = Files.readAllBytes(index);
        assertThat(publisher.publish(resnet, digest).outcome()).isEqualTo(Outcome.PRESENT);

        JsonObject privately;
        try (LoadedModel model = new ModelHost().load(resnet)) {
            privately = model.predict(image());
        }
        long filesBefore = store.stats().tensors();
        try (LoadedModel model = new ModelHost(new TensorStore(root)).load(resnet, digest)) {
            assertThat(model.weights().sharedTensors())
                    .as("every tensor mapped from the store")
                    .isEqualTo(model.weights().tensors());
            assertThat(model.weights().privateBytes()).isZero();
            assertThat(model.weights().warnings()).isEmpty();
            assertThat(model.predict(image())).isEqualTo(privately);
        }
        assertThat(Files.readAllBytes(index))
                .as("the proxy took the index as it was: its own load would have written the same")
                .isEqualTo(indexBytes);
        assertThat(store.stats().tensors()).isEqualTo(filesBefore);
    }

    @Test
    void aTensorOthersCannotReadIsMadeReadableAndAMissingOneIsPublishedAgain() throws Exception {
        TensorStore store = new TensorStore(root);
        BundlePublisher publisher = new BundlePublisher(store);
        assertThat(publisher.publish(resnet, digest).outcome()).isEqualTo(Outcome.PUBLISHED);
        TensorIndex index = store.index(digest).orElseThrow();
        String hidden = index.entries().get(0).sha256();
        String removed = index.entries().stream()
                .filter(e -> e.size() > 0 && !e.sha256().equals(hidden))
                .findFirst()
                .orElseThrow()
                .sha256();
        Files.setPosixFilePermissions(store.file(hidden), PosixFilePermissions.fromString("rw-------"));
        assertThat(publisher.publish(resnet, digest).outcome()).isEqualTo(Outcome.PRESENT);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file(hidden))))
                .isEqualTo("rw-r--r--");
        assertThat(store.present(hidden, index.entries().get(0).size())).isTrue();

        store.remove(removed);
        assertThat(publisher.publish(resnet, digest).outcome()).isEqualTo(Outcome.PUBLISHED);
        assertThat(Files.exists(store.file(removed))).isTrue();
    }

    @Test
    void withoutADigestNothingIsPublished() {
        BundlePublisher.Result r = new BundlePublisher(new TensorStore(root)).publish(resnet, null);
        assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(root).isEmptyDirectory();
    }
}
