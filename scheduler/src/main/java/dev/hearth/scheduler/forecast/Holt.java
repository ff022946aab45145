package dev.hearth.scheduler.forecast;

/**
 * Holt's double exponential smoothing: a level and a trend,
 * {@code level' = alpha x + (1 - alpha)(level + trend)}, {@code trend' = beta (level' - level) + (1 -
 * beta) trend}; the forecast is {@code level + trend}, floored at 0. Upper bound: forecast + z * root mean squared shortfall.
 *
 * <p>Worked example (alpha 0.5, beta 0.5): observe 10 → level 10, trend 0; observe 20 → level 15,
 * trend 2.5, forecast 17.5; observe 30 (error 12.5) → level 23.75, trend 5.625, forecast 29.375.
 *
 * <p>Caveat: after a burst ends, the trend overshoots downwards for a few windows (floored at 0).
 */
public final class Holt implements Forecaster {
    private final double alpha;
    private final double beta;
    private final double z;
    private final ErrorTracker errors;
    private double level;
    private double trend;
    private boolean started;

    public Holt(double alpha, double beta, double z, double errorDecay) {
        if (!(alpha > 0 && alpha <= 1) || !(beta > 0 && beta <= 1)) {
            throw new IllegalArgumentException("alpha and beta must be in (0, 1], were " + alpha + ", " + beta);
        }
        this.alpha = alpha;
        this.beta = beta;
        this.z = z;
        this.errors = new ErrorTracker(errorDecay);
    }

    @Override
    public void observe(double value) {
        if (!started) {
            level = value;
            started = true;
            return;
        }
        errors.record(value, forecast());
        double previous = level;
        level = alpha * value + (1 - alpha) * (level + trend);
        trend = beta * (level - previous) + (1 - beta) * trend;
    }

    @Override
    public double forecast() {
        return Math.max(0, level + trend);
    }

    @Override
    public double upper() {
        return forecast() + z * errors.shortfallRms();
    }

    @Override
    public ErrorTracker errors() {
        return errors;
    }

    @Override
    public String name() {
        return "holt";
    }
}
