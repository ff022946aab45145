/** {@code hearth namespace list}: the namespaces the key can use. */
package dev.hearth.cli.namespace;
