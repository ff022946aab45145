package dev.hearth.model.host;

/**
 * The deep learning engine of this process.
 *
 * @param initMs what this call spent initialising it; 0 when it was already initialised
 */
public record EngineStatus(String name, String version, long initMs) {}
