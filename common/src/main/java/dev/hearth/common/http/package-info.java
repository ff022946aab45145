/**
 * The HTTP client of Hearth's own hops (controller to invoker, invoker to runtime proxy): blocking, on
 * kept-alive connections, each request one write.
 */
package dev.hearth.common.http;
