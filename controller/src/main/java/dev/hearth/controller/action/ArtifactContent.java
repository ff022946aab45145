package dev.hearth.controller.action;

import dev.hearth.controller.artifact.ArtifactStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** An artifact's bytes as an exec kind sees them while validating: inline in the request or stored. */
public interface ArtifactContent {
    long size();

    /** Streams the bytes to {@code reader} (each call reads from the start). */
    <T> T read(ArtifactStore.Reader<T> reader);

    static ArtifactContent of(byte[] bytes) {
        return new ArtifactContent() {
            public long size() {
                return bytes.length;
            }

            public <T> T read(ArtifactStore.Reader<T> reader) {
                try {
                    return reader.read(new ByteArrayInputStream(bytes), bytes.length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    static ArtifactContent stored(ArtifactStore store, String digest, long size) {
        return new ArtifactContent() {
            public long size() {
                return size;
            }

            public <T> T read(ArtifactStore.Reader<T> reader) {
                return store.read(digest, reader)
                        .orElseThrow(() -> new IllegalStateException("artifact " + digest + " is missing"));
            }
        };
    }
}
