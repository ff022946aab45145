/**
 * The runtime proxy's HTTP/1.1 server: {@link dev.hearth.proxy.http.RequestParser} reads requests out of
 * bytes, {@link dev.hearth.proxy.http.ProxyServer} owns the sockets and the threads (the activation thread
 * reads the connection a warm function's calls come on), and a {@link dev.hearth.proxy.http.Handler} decides
 * the answers. Knows nothing of actions or JSON.
 */
package dev.hearth.proxy.http;
