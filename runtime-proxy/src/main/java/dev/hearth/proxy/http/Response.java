package dev.hearth.proxy.http;

import java.util.Map;

/**
 * One answer: a status, its body and its headers. The server adds {@code Content-Length} and, when it
 * closes the connection after the answer, {@code Connection: close}.
 */
public record Response(int status, byte[] body, Map<String, String> headers) {}
