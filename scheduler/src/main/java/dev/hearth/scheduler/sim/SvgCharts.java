package dev.hearth.scheduler.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Charts as plain SVG, no library: per trace, p99 latency per minute for every policy (log scale),
 * warm containers per minute for every policy (pre-loaded ones dashed), and SLO violations against
 * cost with the Pareto front drawn through the policies on it.
 */
final class SvgCharts {
    static final String[] COLOURS = {
        "#7f7f7f", "#bcbd22", "#17becf", "#1f77b4", "#9467bd", "#ff7f0e", "#d62728", "#2ca02c", "#8c564b"
    };
    private static final int W = 760;
    private static final int H = 380;
    private static final int LEFT = 70;
    private static final int RIGHT = 150;
    private static final int TOP = 30;
    private static final int BOTTOM = 45;

    private SvgCharts() {}

    /** Writes {@code <trace>-latency.svg}, {@code <trace>-replicas.svg}, {@code <trace>-front.svg}. */
    static List<Path> writeAll(List<RunResult> results, Path out) throws IOException {
        Files.createDirectories(out);
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, List<RunResult>> e : Report.byTrace(results).entrySet()) {
            written.add(write(out.resolve(e.getKey() + "-latency.svg"), latency(e.getKey(), e.getValue())));
            written.add(write(out.resolve(e.getKey() + "-replicas.svg"), replicas(e.getKey(), e.getValue())));
            written.add(write(out.resolve(e.getKey() + "-front.svg"), front(e.getKey(), e.getValue())));
        }
        return written;
    }

    private static Path write(Path p, String svg) throws IOException {
        Files.writeString(p, svg);
        return p;
    }

    static String latency(String trace, List<RunResult> runs) {
        Canvas c = new Canvas(trace + ": p99 latency per minute (log scale)");
        int minutes = runs.getFirst().p99PerMinute().length;
        double lo = Math.log10(10);
        double hi = Math.log10(10_000);
        c.axes(0, minutes, "minute", lo, hi, "p99 ms", v -> fmt(Math.pow(10, v)), true);
        for (int i = 0; i < runs.size(); i++) {
            double[] ys = runs.get(i).p99PerMinute().clone();
            for (int m = 0; m < ys.length; m++) {
                ys[m] = Double.isNaN(ys[m]) ? Double.NaN : Math.log10(Math.max(10, Math.min(10_000, ys[m])));
            }
            c.line(ys, 0, minutes, lo, hi, COLOURS[i % COLOURS.length], false);
            c.legend(i, runs.get(i).policy(), COLOURS[i % COLOURS.length]);
        }
        return c.done();
    }

    static String replicas(String trace, List<RunResult> runs) {
        Canvas c = new Canvas(trace + ": warm containers (solid) and pre-loaded (dashed) per minute");
        int minutes = runs.getFirst().warmPerMinute().length;
        double max = 1;
        for (RunResult r : runs) {
            for (int m = 0; m < minutes; m++) {
                max = Math.max(max, Math.max(r.warmPerMinute()[m], r.preloadedPerMinute()[m]));
            }
        }
        max = Math.ceil(max * 1.1);
        c.axes(0, minutes, "minute", 0, max, "containers", SvgCharts::fmt, false);
        for (int i = 0; i < runs.size(); i++) {
            String colour = COLOURS[i % COLOURS.length];
            c.line(runs.get(i).warmPerMinute(), 0, minutes, 0, max, colour, false);
            boolean anyPreloaded = false;
            for (double v : runs.get(i).preloadedPerMinute()) {
                anyPreloaded |= v > 0;
            }
            if (anyPreloaded) {
                c.line(runs.get(i).preloadedPerMinute(), 0, minutes, 0, max, colour, true);
            }
            c.legend(i, runs.get(i).policy(), colour);
        }
        return c.done();
    }

    static String front(String trace, List<RunResult> runs) {
        Canvas c = new Canvas(trace + ": SLO violations against cost (filled: Pareto front)");
        double maxX = 0;
        double maxY = 0;
        for (RunResult r : runs) {
            maxX = Math.max(maxX, 100 * r.violationRate());
            maxY = Math.max(maxY, r.cost());
        }
        maxX = maxX <= 0 ? 1 : maxX * 1.15;
        maxY = maxY * 1.15;
        c.axes(0, maxX, "SLO violations %", 0, maxY, "cost core-eq·h", SvgCharts::fmt, false);
        List<RunResult> front = new ArrayList<>();
        for (RunResult r : runs) {
            if (Report.onFront(r, runs)) {
                front.add(r);
            }
        }
        front.sort(Comparator.comparingDouble(RunResult::violationRate));
        double[] xs = front.stream().mapToDouble(r -> 100 * r.violationRate()).toArray();
        double[] ys = front.stream().mapToDouble(RunResult::cost).toArray();
        c.polyline(xs, ys, 0, maxX, 0, maxY, "#444", "4 3");
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            String colour = COLOURS[i % COLOURS.length];
            c.point(100 * r.violationRate(), r.cost(), 0, maxX, 0, maxY, colour, front.contains(r), r.policy(), i);
            c.legend(i, r.policy(), colour);
        }
        return c.done();
    }

    static String fmt(double v) {
        if (v >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, v >= 1 ? "%.1f" : "%.2f", v);
    }

    /** A chart area with axes, lines, points and a legend on the right. */
    private static final class Canvas {
        private final StringBuilder sb = new StringBuilder();
        private final double pw = W - LEFT - RIGHT;
        private final double ph = H - TOP - BOTTOM;

        Canvas(String title) {
            sb.append(String.format(
                    Locale.ROOT,
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                            + " font-family=\"sans-serif\" font-size=\"11\">%n<rect width=\"100%%\" height=\"100%%\""
                            + " fill=\"white\"/>%n<text x=\"%d\" y=\"18\" font-size=\"13\">%s</text>%n",
                    W,
                    H,
                    W,
                    H,
                    LEFT,
                    escape(title)));
        }

        double x(double v, double lo, double hi) {
            return LEFT + (hi == lo ? 0 : (v - lo) / (hi - lo) * pw);
        }

        double y(double v, double lo, double hi) {
            return TOP + ph - (hi == lo ? 0 : (v - lo) / (hi - lo) * ph);
        }

        void axes(
                double x0,
                double x1,
                String xLabel,
                double y0,
                double y1,
                String yLabel,
                java.util.function.DoubleFunction<String> yFmt,
                boolean logTicks) {
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#888\"/>%n",
                    LEFT,
                    TOP,
                    pw,
                    ph));
            for (int i = 0; i <= 5; i++) {
                double xv = x0 + (x1 - x0) * i / 5;
                double px = x(xv, x0, x1);
                sb.append(String.format(
                        Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
                        px,
                        TOP + ph + 15,
                        fmt(xv)));
            }
            int ticks = logTicks ? (int) Math.round(y1 - y0) : 5;
            for (int i = 0; i <= ticks; i++) {
                double yv = y0 + (y1 - y0) * i / ticks;
                double py = y(yv, y0, y1);
                sb.append(String.format(
                        Locale.ROOT,
                        "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                                + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                        LEFT,
                        py,
                        LEFT + pw,
                        py,
                        LEFT - 5,
                        py + 4,
                        yFmt.apply(yv)));
            }
            sb.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n"
                            + "<text x=\"15\" y=\"%.1f\" transform=\"rotate(-90 15 %.1f)\" text-anchor=\"middle\">%s</text>%n",
                    LEFT + pw / 2,
                    H - 8,
                    escape(xLabel),
                    TOP + ph / 2,
                    TOP + ph / 2,
                    escape(yLabel)));
        }

        void line(double[] ys, double x0, double x1, double y0, double y1, String colour, boolean dashed) {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < ys.length; i++) {
                if (!Double.isNaN(ys[i])) {
                    pts.append(String.format(
                            Locale.ROOT, "%.1f,%.1f ", x(i + 0.5, x0, x1), y(Math.min(y1, ys[i]), y0, y1)));
                }
            }
            sb.append(String.format(
                    Locale.ROOT,
                    "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.3\"%s points=\"%s\"/>%n",
                    colour,
                    dashed ? " stroke-dasharray=\"4 3\"" : "",
                    pts.toString().trim()));
        }

        void polyline(
                double[] xs, double[] ys, double x0, double x1, double y0, double y1, String colour, String dash) {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < xs.length; i++) {
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(xs[i], x0, x1), y(ys[i], y0, y1)));
            }
            sb.append(String.format(
                    Locale.ROOT,
                    "<polyline fill=\"none\" stroke=\"%s\" stroke-dasharray=\"%s\" points=\"%s\"/>%n",
                    colour,
                    dash,
                    pts.toString().trim()));
        }

        void point(
                double xv,
                double yv,
                double x0,
                double x1,
                double y0,
                double y1,
                String colour,
                boolean filled,
                String label,
                int index) {
            double px = x(xv, x0, x1);
            double py = y(yv, y0, y1);
            sb.append(String.format(
                    Locale.ROOT,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"/>"
                            + "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s</text>%n",
                    px,
                    py,
                    filled ? colour : "white",
                    colour,
                    px + 7,
                    py - 6 - (index % 3) * 9,
                    colour,
                    escape(label)));
        }

        void legend(int i, String label, String colour) {
            double lx = LEFT + pw + 15;
            double ly = TOP + 10 + i * 16;
            sb.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"/>"
                            + "<text x=\"%.1f\" y=\"%.1f\">%s</text>%n",
                    lx,
                    ly,
                    lx + 18,
                    ly,
                    colour,
                    lx + 24,
                    ly + 4,
                    escape(label)));
        }

        String done() {
            return sb.append("</svg>\n").toString();
        }

        private static String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }
    }
}
