/** The invoker's health pings on topic {@code health}: free memory, containers by state, warm actions. */
package dev.hearth.invoker.health;
