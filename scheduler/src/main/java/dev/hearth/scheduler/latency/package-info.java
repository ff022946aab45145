/**
 * Latency models, pure: the M/M/c queue ({@link dev.hearth.scheduler.latency.ErlangC}) behind a
 * function's percentile latency and SLO attainment ({@link dev.hearth.scheduler.latency.LatencyModel}),
 * service time as a function of CPU share or GPU SM share and time quota ({@link
 * dev.hearth.scheduler.latency.ServiceTime}), and what each start kind costs ({@link
 * dev.hearth.scheduler.latency.StartKind}, {@link dev.hearth.scheduler.latency.ModelProfile}), from the
 * project's measured figures ({@link dev.hearth.scheduler.latency.Measured}).
 */
package dev.hearth.scheduler.latency;
