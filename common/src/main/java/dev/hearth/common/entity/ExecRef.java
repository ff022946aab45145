package dev.hearth.common.entity;

import java.util.regex.Pattern;

/**
 * What an invoker needs to run an action's code: the kind ({@code java}, {@code djl:pytorch}), the
 * entry point, and the SHA-256 digest of the artifact, which invokers fetch once and cache by digest.
 */
public record ExecRef(String kind, String main, String digest) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ExecRef {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("exec kind is required");
        }
        if (digest == null || !SHA256.matcher(digest).matches()) {
            throw new IllegalArgumentException("artifact digest must be 64 lowercase hex characters: " + digest);
        }
    }
}
