package dev.hearth.invoker.container.process;

import java.time.Instant;

/** One line a container printed, stamped when the invoker read it. */
public record LogLine(Instant at, String stream, String text) {}
