package dev.hearth.scheduler.forecast;

import java.util.List;

/**
 * Picks a forecaster per function: replays the function's rate history through EWMA, Holt and the
 * Kalman filter and answers with the forecast of the one whose recent mean absolute error is lowest
 * (ties go to the simpler model, in the order EWMA, Holt, Kalman). Stateless: the same history gives
 * the same forecast, so a policy that calls it stays a function of its snapshot.
 *
 * <p>Worked example: on the ramp 0, 10, 20, 30, 40 the Kalman filter's positive buffer keeps closest
 * and wins (forecast 39.2, upper bound 62.9); on the longer ramp 0, 10, ..., 60 Holt has learnt the
 * trend and wins; on the flat 5, 5, 5, 5 all errors are 0 and EWMA wins the tie (forecast 5).
 *
 * <p>Caveat: with fewer than three values no one has a track record; the selector then answers with
 * EWMA.
 */
public final class ForecastSelector {
    /** Standard deviations of recent error above the forecast in {@link Forecast#upper()}. */
    public static final double Z = 2.0;

    private ForecastSelector() {}

    /** What the chosen forecaster predicts for the next window. */
    public record Forecast(String model, double mean, double upper, double mae) {}

    /** Fresh forecasters with the project's parameters, in tie-break order. */
    public static List<Forecaster> candidates() {
        return List.of(new Ewma(0.5, Z, 0.3), new Holt(0.5, 0.3, Z, 0.3), new Kalman(0.5, 0.05, Z, 0.3));
    }

    /** The best forecaster's forecast after replaying {@code history} (oldest first). */
    public static Forecast select(double[] history) {
        List<Forecaster> all = candidates();
        for (double v : history) {
            for (Forecaster f : all) {
                f.observe(v);
            }
        }
        Forecaster best = all.getFirst();
        if (history.length >= 3) {
            for (Forecaster f : all) {
                if (f.errors().mae() < best.errors().mae() - 1e-12) {
                    best = f;
                }
            }
        }
        return new Forecast(
                best.name(), best.forecast(), best.upper(), best.errors().mae());
    }
}
