package dev.hearth.scheduler.forecast;

/**
 * An online one-step-ahead forecaster of a non-negative series (requests per second per window).
 * {@link #observe} first scores the current forecast against the new value (so the error is always
 * out of sample), then updates the model. Instances are mutable and confined to one caller.
 */
public sealed interface Forecaster permits Ewma, Holt, Kalman {

    /** Scores the forecast made before this value, then learns from it. */
    void observe(double value);

    /** The forecast for the next window, never negative. */
    double forecast();

    /** A high estimate for the next window: forecast plus a multiple of the recent error spread. */
    double upper();

    /** The recent one-step-ahead error of this forecaster. */
    ErrorTracker errors();

    String name();
}
