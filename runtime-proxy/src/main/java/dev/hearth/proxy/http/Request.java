package dev.hearth.proxy.http;

/**
 * One request as the proxy's routes need it: the method, the path (the target up to {@code ?}, not
 * decoded: the proxy's paths are fixed ASCII), the whole body, and whether the connection stays open
 * after the answer (HTTP/1.1 unless {@code Connection: close}; HTTP/1.0 only with
 * {@code Connection: keep-alive}).
 */
public record Request(String method, String path, byte[] body, boolean keepAlive) {}
