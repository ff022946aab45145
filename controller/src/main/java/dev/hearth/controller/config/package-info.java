/**
 * Configuration: {@link dev.hearth.controller.config.ControllerProperties} (everything under
 * {@code hearth.controller}, validated at start-up) and the infrastructure beans (messaging port,
 * clock, randomness).
 */
package dev.hearth.controller.config;
