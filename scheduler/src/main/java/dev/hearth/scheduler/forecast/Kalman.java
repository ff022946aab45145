package dev.hearth.scheduler.forecast;

/**
 * A local-level Kalman filter with a positive buffer. State: the rate {@code x} and its variance
 * {@code p}. Each window: predict {@code p += q}; update with gain {@code k = p / (p + r)},
 * {@code x += k (value - x)}, {@code p *= 1 - k}. The measurement noise {@code r} is learnt from the
 * recent squared errors (floored at {@code minR}) and the process noise is {@code q = qRatio * r}.
 *
 * <p>The forecast is {@code x + buffer}, where the buffer is the recent mean shortfall (how far the
 * level fell short of the rate, when it did): a positive buffer that leans towards having capacity
 * rather than not. Upper bound: {@code x + buffer + z * sqrt(p + s)}, where {@code s} is the mean
 * squared shortfall (over-forecasts do not widen it).
 *
 * <p>Worked example (qRatio 1, minR 1, no errors yet so r = 1): observe 10 → x 10, p 1; observe 20:
 * predict p 2, k 2/3, x 16.67, p 0.667; the shortfall of that step was 10 (error decay 1), so the
 * forecast is 26.67.
 *
 * <p>Caveat: the buffer makes it the most eager of the three; the selector prefers it only when its
 * recent error is the lowest.
 */
public final class Kalman implements Forecaster {
    private final double qRatio;
    private final double minR;
    private final double z;
    private final ErrorTracker errors;
    private double x;
    private double p;
    private boolean started;

    public Kalman(double qRatio, double minR, double z, double errorDecay) {
        if (!(qRatio > 0) || !(minR > 0)) {
            throw new IllegalArgumentException("qRatio and minR must be positive, were " + qRatio + ", " + minR);
        }
        this.qRatio = qRatio;
        this.minR = minR;
        this.z = z;
        this.errors = new ErrorTracker(errorDecay);
    }

    private double r() {
        return Math.max(minR, errors.rmse() * errors.rmse());
    }

    @Override
    public void observe(double value) {
        if (!started) {
            x = value;
            p = r();
            started = true;
            return;
        }
        double r = r();
        p += qRatio * r;
        double k = p / (p + r);
        errors.record(value, forecast());
        x += k * (value - x);
        p *= 1 - k;
    }

    @Override
    public double forecast() {
        return Math.max(0, x + errors.shortfall());
    }

    @Override
    public double upper() {
        return forecast() + z * Math.sqrt(p + errors.shortfallRms() * errors.shortfallRms());
    }

    @Override
    public ErrorTracker errors() {
        return errors;
    }

    @Override
    public String name() {
        return "kalman";
    }
}
