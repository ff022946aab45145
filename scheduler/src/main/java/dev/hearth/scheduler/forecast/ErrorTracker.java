package dev.hearth.scheduler.forecast;

/**
 * Exponentially weighted one-step-ahead errors: mean absolute error (the selector's score), root mean
 * squared error (the spread behind upper bounds) and the mean positive error (how much the forecast
 * fell short, when it did). Weight {@code decay} goes to the newest error.
 */
public final class ErrorTracker {
    private final double decay;
    private double mae;
    private double mse;
    private double shortfall;
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
        } else {
            mae += decay * (Math.abs(e) - mae);
            mse += decay * (e * e - mse);
            shortfall += decay * (Math.max(0, e) - shortfall);
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

    public int count() {
        return count;
    }
}
