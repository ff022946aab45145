package dev.hearth.scheduler.forecast;

/**
 * Exponentially weighted moving average: {@code level += alpha * (x - level)}; the forecast is the
 * level. Upper bound: level + z * the root mean squared shortfall of its recent forecasts.
 *
 * <p>Worked example (alpha 0.5): observe 10 → level 10; observe 20 → error 10 recorded, level 15;
 * forecast 15.
 *
 * <p>Caveat: it lags a trend by about (1 - alpha) / alpha windows.
 */
public final class Ewma implements Forecaster {
    private final double alpha;
    private final double z;
    private final ErrorTracker errors;
    private double level;
    private boolean started;

    public Ewma(double alpha, double z, double errorDecay) {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
        }
        this.alpha = alpha;
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
        level += alpha * (value - level);
    }

    @Override
    public double forecast() {
        return Math.max(0, level);
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
        return "ewma";
    }
}
