package dev.hearth.scheduler.sim;

import dev.hearth.common.entity.Slo;
import dev.hearth.scheduler.latency.Measured;
import dev.hearth.scheduler.latency.ModelProfile;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Traces generated from a fixed seed, Poisson counts per minute around a rate shape:
 * <ul>
 *   <li>{@code steady}: six functions at constant rates (1 to 60 req/s);
 *   <li>{@code diurnal}: the same mix on a sine with a 60-minute period (a compressed day), ±80%;
 *   <li>{@code bursty}: low base rates (0.5–3 req/s) with bursts of 10–20x lasting 2–6 minutes;
 *   <li>{@code sparse}: 24 functions called every 10 s to 5 min, some on a timer;
 *   <li>{@code many}: 60 functions with Zipf(1.1) popularity, 60 req/s in all, a quarter without an
 *       SLO annotation (the default class).
 * </ul>
 * SLOs by model: ResNet-18 500 ms, ResNet-50 1000 ms, MLP 100 ms, all at p99.
 */
public final class TraceGenerator {
    public static final List<String> NAMES = List.of("steady", "diurnal", "bursty", "sparse", "many");

    private TraceGenerator() {}

    public static List<Trace> standardSet(int minutes, long seed) {
        return NAMES.stream().map(n -> generate(n, minutes, seed)).toList();
    }

    public static Trace generate(String name, int minutes, long seed) {
        SplittableRandom random = new SplittableRandom(seed * 31 + name.hashCode());
        return switch (name) {
            case "steady" -> mix(name, minutes, random, (f, m) -> 1.0);
            case "diurnal" ->
                mix(name, minutes, random, (f, m) -> 1 + 0.8 * Math.sin(2 * Math.PI * m / 60.0 + f * 0.7));
            case "bursty" -> bursty(minutes, random);
            case "sparse" -> sparse(minutes, random);
            case "many" -> many(minutes, random);
            default -> throw new IllegalArgumentException("unknown trace " + name + "; known: " + NAMES);
        };
    }

    public static Slo sloFor(ModelProfile p) {
        return switch (p.name()) {
            case "resnet50" -> new Slo(1000, 0.99);
            case "mlp" -> new Slo(100, 0.99);
            default -> new Slo(500, 0.99);
        };
    }

    private interface Shape {
        double factor(int function, int minute);
    }

    private static final ModelProfile[] MIX_PROFILES = {
        Measured.RESNET18, Measured.RESNET18, Measured.RESNET50, Measured.MLP, Measured.MLP, Measured.RESNET18
    };
    private static final double[] MIX_RATES = {8, 25, 4, 30, 60, 1};

    private static Trace mix(String name, int minutes, SplittableRandom random, Shape shape) {
        List<Trace.Function> fs = new ArrayList<>();
        for (int f = 0; f < MIX_RATES.length; f++) {
            int[] counts = new int[minutes];
            for (int m = 0; m < minutes; m++) {
                counts[m] = poisson(random, MIX_RATES[f] * 60 * shape.factor(f, m));
            }
            fs.add(function(random, MIX_PROFILES[f], sloFor(MIX_PROFILES[f]), "http", counts));
        }
        return new Trace(name, minutes, fs);
    }

    private static Trace bursty(int minutes, SplittableRandom random) {
        List<Trace.Function> fs = new ArrayList<>();
        for (int f = 0; f < 6; f++) {
            ModelProfile p = MIX_PROFILES[f];
            double base = 0.5 + random.nextDouble() * 2.5;
            int[] counts = new int[minutes];
            int burstLeft = 0;
            double burst = 1;
            for (int m = 0; m < minutes; m++) {
                if (burstLeft == 0 && random.nextDouble() < 0.04) {
                    burstLeft = 2 + random.nextInt(5);
                    burst = 10 + random.nextDouble() * 10;
                }
                double rate = base * (burstLeft > 0 ? burst : 1);
                if (burstLeft > 0) {
                    burstLeft--;
                }
                counts[m] = poisson(random, rate * 60);
            }
            fs.add(function(random, p, sloFor(p), "http", counts));
        }
        return new Trace("bursty", minutes, fs);
    }

    private static Trace sparse(int minutes, SplittableRandom random) {
        List<Trace.Function> fs = new ArrayList<>();
        for (int f = 0; f < 24; f++) {
            ModelProfile p = MIX_PROFILES[f % MIX_PROFILES.length];
            int[] counts = new int[minutes];
            if (f % 4 == 3) {
                int period = 2 + random.nextInt(5);
                int phase = random.nextInt(period);
                for (int m = phase; m < minutes; m += period) {
                    counts[m] = 1;
                }
                fs.add(function(random, p, sloFor(p), "timer", counts));
            } else {
                double perSecond = 1.0 / (10 + random.nextDouble() * 290);
                for (int m = 0; m < minutes; m++) {
                    counts[m] = poisson(random, perSecond * 60);
                }
                fs.add(function(random, p, sloFor(p), "http", counts));
            }
        }
        return new Trace("sparse", minutes, fs);
    }

    private static Trace many(int minutes, SplittableRandom random) {
        int n = 60;
        double[] weight = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            weight[i] = 1 / Math.pow(i + 1, 1.1);
            total += weight[i];
        }
        List<Trace.Function> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ModelProfile p = MIX_PROFILES[random.nextInt(MIX_PROFILES.length)];
            double rate = 60 * weight[i] / total;
            boolean diurnal = i % 3 == 0;
            double phase = random.nextDouble() * 2 * Math.PI;
            int[] counts = new int[minutes];
            for (int m = 0; m < minutes; m++) {
                double shape = diurnal ? 1 + 0.8 * Math.sin(2 * Math.PI * m / 60.0 + phase) : 1;
                counts[m] = poisson(random, rate * 60 * shape);
            }
            Slo slo = i % 4 == 1 ? Slo.DEFAULT : sloFor(p);
            fs.add(function(random, p, slo, "http", counts));
        }
        return new Trace("many", minutes, fs);
    }

    private static Trace.Function function(
            SplittableRandom random, ModelProfile p, Slo slo, String trigger, int[] counts) {
        return new Trace.Function(hash(random), hash(random), hash(random), trigger, p, slo, counts);
    }

    private static String hash(SplittableRandom random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A Poisson count: Knuth's product method below 30, a rounded normal above. */
    static int poisson(SplittableRandom random, double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean < 30) {
            double limit = Math.exp(-mean);
            double p = random.nextDouble();
            int k = 0;
            while (p > limit) {
                p *= random.nextDouble();
                k++;
            }
            return k;
        }
        double z = gaussian(random);
        return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
    }

    static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
