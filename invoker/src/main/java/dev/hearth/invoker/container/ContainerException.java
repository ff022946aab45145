package dev.hearth.invoker.container;

/** A container could not be started, or stopped answering: a platform failure, not the action's. */
public class ContainerException extends Exception {
    public ContainerException(String message) {
        super(message);
    }

    public ContainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
