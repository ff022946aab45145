/**
 * The runtime proxy: the small HTTP program inside every function container (a plain JVM process
 * today, a Docker container later). It owns OpenWhisk's action-proxy protocol for the {@code java}
 * kind ({@code POST /init}, {@code POST /run}), Hearth's {@code GET /stats}, the {@code djl:pytorch}
 * kind and its pre-loads ({@code POST /preload}, {@code POST /offload}: models in memory before
 * {@code /init}), loading the action's jar into its own class loader, exposing the activation context,
 * and marking the end of every activation's logs with the sentinel line the invoker waits for.
 *
 * <p>It sits on the cold-start path, so it uses only its own small HTTP server ({@code dev.hearth.proxy.http},
 * which reads a warm call's request on the thread that computes it) and Gson's tree model: no framework, few
 * classes, no lambdas or indy string concatenation on the start-up path. {@link dev.hearth.proxy.RuntimeProxy} is the entry point and the only public type.
 */
package dev.hearth.proxy;
