package dev.hearth.scheduler.forecast;

/**
 * Exponentially weighted one-step-ahead errors: mean absolute error (the selector's score), root mean
 * squared error, the mean shortfall (how much the forecast fell short, counting over-forecasts as 0)
 * and the root mean squared shortfall (the spread behind upper bounds: a forecast that was too high
 * does not widen the upper bound). Weight {@code decay} goes to the newest error.
 */
public final class ErrorTracker {
    private final double decay;
    private double mae;
    private double mse;
    private double shortfall;
    private double shortfallSquared;
    private int count;

    public ErrorTracker(double decay) {
        if (!(decay > 0 && decay <= 1)) {
            throw new IllegalArgumentException("decay must be in (0, 1], was " + decay);
        }
        this.decay = decay;
    }

    /** Records {@code actual - forecast}. */
    public void record(double actual, double forecast) {
        double e = actual - forecast;
        if (count == 0) {
            mae = Math.abs(e);
            mse = e * e;
            shortfall = Math.max(0, e);
            shortfallSquared = shortfall * shortfall;
        } else {
            mae += decay * (Math.abs(e) - mae);
            mse += decay * (e * e - mse);
            shortfall += decay * (Math.max(0, e) - shortfall);
            shortfallSquared += decay * (Math.max(0, e) * Math.max(0, e) - shortfallSquared);
        }
        count++;
    }

    public double mae() {
        return mae;
    }

    public double rmse() {
        return Math.sqrt(mse);
    }

    public double shortfall() {
        return shortfall;
    }

    /** Root mean squared shortfall: the spread of under-forecasts only. */
    public double shortfallRms() {
        return Math.sqrt(shortfallSquared);
    }

    public int count() {
        return count;
    }
}
