/** Reactor Netty resources owned by this gateway rather than shared JVM-wide. */
package dev.hearth.gateway.netty;
