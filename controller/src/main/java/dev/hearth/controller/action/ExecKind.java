package dev.hearth.controller.action;

/**
 * One supported action kind ({@code java}, later {@code djl:pytorch}): checks an exec before it is
 * stored. Implementations are Spring components; {@link ExecKinds} collects them.
 */
public interface ExecKind {
    /** The kind's name as clients send it in {@code exec.kind}. */
    String name();

    /**
     * Checks the exec; throws {@link dev.hearth.controller.web.ApiException.BadRequest} with a message
     * for the user when it cannot run.
     *
     * @param main   {@code exec.main}, may be null
     * @param binary {@code exec.binary}
     * @param code   the decoded artifact bytes
     */
    void validate(String main, boolean binary, byte[] code);
}
