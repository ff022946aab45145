/**
 * Rate forecasting, pure and deterministic: three online forecasters ({@link
 * dev.hearth.scheduler.forecast.Ewma}, {@link dev.hearth.scheduler.forecast.Holt}, {@link
 * dev.hearth.scheduler.forecast.Kalman}), each tracking its own one-step-ahead error, and {@link
 * dev.hearth.scheduler.forecast.ForecastSelector}, which replays a function's rate history through all
 * three and answers with the one whose recent error is lowest. Policies call the selector on the
 * history in their snapshot, so they stay functions of the snapshot.
 */
package dev.hearth.scheduler.forecast;
