package dev.hearth.controller.action;

import dev.hearth.controller.config.ControllerProperties;
import java.util.OptionalInt;

/**
 * One supported action kind ({@code java}, {@code djl:pytorch}): checks an exec before it is stored
 * and says which memory range applies. Implementations are Spring components; {@link ExecKinds}
 * collects them.
 */
public interface ExecKind {
    /** The kind's name as clients send it in {@code exec.kind}. */
    String name();

    /** The allowed memory range (MB) of this kind's actions; code actions keep the configured one. */
    default ControllerProperties.Range memory(ControllerProperties.Limits limits) {
        return limits.memory();
    }

    /**
     * Checks the exec; throws {@link dev.hearth.controller.web.ApiException.BadRequest} with a message
     * for the user when it cannot run.
     *
     * @param main     {@code exec.main}, may be null
     * @param binary   {@code exec.binary} (true for an artifact given by digest)
     * @param artifact the artifact's bytes, inline or stored
     * @return the memory (MB) the artifact itself asks for (a model's manifest), used when the request
     *         sets no {@code limits.memory}; empty when it says nothing
     */
    OptionalInt validate(String main, boolean binary, ArtifactContent artifact);
}
