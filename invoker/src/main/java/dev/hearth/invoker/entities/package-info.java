/** What the invoker does when an action it holds changes: the {@code entities} topic's reader. */
package dev.hearth.invoker.entities;
