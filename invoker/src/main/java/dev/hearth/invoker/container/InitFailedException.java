package dev.hearth.invoker.container;

/** The runtime proxy refused {@code /init}: the action's code is at fault (a developer error). */
public final class InitFailedException extends Exception {
    public InitFailedException(String message) {
        super(message);
    }
}
