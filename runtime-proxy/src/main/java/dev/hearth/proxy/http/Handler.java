package dev.hearth.proxy.http;

/** What {@link ProxyServer} serves: it reads requests and writes answers; this decides them. */
public interface Handler {

    /**
     * Whether {@code request} must run on the activation thread (the action's work: {@code /init},
     * {@code /run}, ...), or may run on whichever thread read it ({@code /stats}).
     */
    boolean isWork(Request request);

    /** The answer to {@code request}; never throws (failures are answers too). */
    Response handle(Request request);

    /** The answer to a request the server could not read ({@link HttpError}'s status and message). */
    Response refuse(int status, String message);
}
