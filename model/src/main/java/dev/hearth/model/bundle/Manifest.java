package dev.hearth.model.bundle;

/**
 * The parts of a bundle's {@code manifest.json} that the platform itself reads (the rest is the
 * model host's business). {@code memoryMb} is the memory the model needs; the controller uses it
 * as the action's default memory limit.
 */
public record Manifest(String format, String architecture, String inputAdapter, String outputAdapter, int memoryMb) {}
