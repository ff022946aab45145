package dev.hearth.scheduler.sim;

import dev.hearth.scheduler.latency.Measured;
import dev.hearth.scheduler.latency.ModelProfile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Azure Functions 2019 trace schema (Shahrad et al., ATC'20): {@code
 * invocations_per_function_md.anon.dNN.csv} has {@code HashOwner,HashApp,HashFunction,Trigger,1,...,1440}
 * (invocations per minute of one day); {@code function_durations_percentiles.anon.dNN.csv} has {@code
 * HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,...} (ms).
 *
 * <p>The trace says nothing about models, so a function read from it is given one by its hash
 * (deterministic: half ResNet-18, a third MLP, the rest ResNet-50) and the SLO of that model's class
 * ({@link TraceGenerator#sloFor}); when a durations file is given, its {@code Average} replaces the
 * model's service time at one core. Writing keeps the schema and nothing else (models and SLOs are not
 * written).
 */
public final class AzureTraceCsv {
    private AzureTraceCsv() {}

    public static void write(Trace trace, Writer out) throws IOException {
        StringBuilder header = new StringBuilder("HashOwner,HashApp,HashFunction,Trigger");
        for (int m = 1; m <= trace.minutes(); m++) {
            header.append(',').append(m);
        }
        out.write(header.append('\n').toString());
        for (Trace.Function f : trace.functions()) {
            StringBuilder line = new StringBuilder();
            line.append(f.owner())
                    .append(',')
                    .append(f.app())
                    .append(',')
                    .append(f.id())
                    .append(',');
            line.append(f.trigger());
            for (int c : f.perMinute()) {
                line.append(',').append(c);
            }
            out.write(line.append('\n').toString());
        }
    }

    /** Writes the durations schema: Average is the model's service time at one core. */
    public static void writeDurations(Trace trace, Writer out) throws IOException {
        out.write("HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,"
                + "percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,"
                + "percentile_Average_99,percentile_Average_100\n");
        for (Trace.Function f : trace.functions()) {
            long count = 0;
            for (int c : f.perMinute()) {
                count += c;
            }
            long avg = Math.round(f.profile().serviceMsAtOneCore());
            out.write(String.format(
                    Locale.ROOT,
                    "%s,%s,%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d%n",
                    f.owner(),
                    f.app(),
                    f.id(),
                    avg,
                    count,
                    avg,
                    avg,
                    avg,
                    avg,
                    avg,
                    avg,
                    avg,
                    avg,
                    avg));
        }
    }

    /**
     * Reads an invocations file (and optionally a durations file). Keeps the first {@code maxMinutes}
     * minutes and, when there are more than {@code maxFunctions}, the functions first in hash order (a
     * deterministic sample); functions with no invocation in the kept minutes are dropped.
     */
    public static Trace read(String name, Reader invocations, Reader durations, int maxMinutes, int maxFunctions) {
        try {
            Map<String, Double> averages = durations == null ? Map.of() : readDurations(durations);
            BufferedReader in = new BufferedReader(invocations);
            String header = in.readLine();
            if (header == null || !header.startsWith("HashOwner,HashApp,HashFunction,Trigger,")) {
                throw new IllegalArgumentException(
                        "not an Azure invocations file: the header must start with HashOwner,HashApp,HashFunction,Trigger,1");
            }
            int minutes = Math.min(maxMinutes, header.split(",", -1).length - 4);
            List<Trace.Function> fs = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cols = line.split(",", -1);
                if (cols.length < 4 + minutes) {
                    throw new IllegalArgumentException(
                            "line " + lineNo + " has " + cols.length + " columns, expected " + (4 + minutes));
                }
                int[] counts = new int[minutes];
                long total = 0;
                for (int m = 0; m < minutes; m++) {
                    String c = cols[4 + m].trim();
                    counts[m] = c.isEmpty() ? 0 : Integer.parseInt(c);
                    total += counts[m];
                }
                if (total == 0) {
                    continue;
                }
                ModelProfile p = profileFor(cols[2]);
                Double avg = averages.get(cols[0] + "," + cols[1] + "," + cols[2]);
                if (avg != null) {
                    p = new ModelProfile(
                            p.name(),
                            Math.max(1, avg),
                            p.parallelFraction(),
                            p.modelLoadMs(),
                            p.firstInferenceExtraMs(),
                            p.weightsMb(),
                            p.privateMb());
                }
                fs.add(new Trace.Function(cols[0], cols[1], cols[2], cols[3], p, TraceGenerator.sloFor(p), counts));
            }
            fs.sort(Comparator.comparing(Trace.Function::id));
            if (fs.size() > maxFunctions) {
                fs = new ArrayList<>(fs.subList(0, maxFunctions));
            }
            return new Trace(name, minutes, fs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Double> readDurations(Reader durations) throws IOException {
        BufferedReader in = new BufferedReader(durations);
        String header = in.readLine();
        if (header == null || !header.startsWith("HashOwner,HashApp,HashFunction,Average")) {
            throw new IllegalArgumentException(
                    "not an Azure durations file: the header must start with HashOwner,HashApp,HashFunction,Average");
        }
        Map<String, Double> out = new HashMap<>();
        String line;
        while ((line = in.readLine()) != null) {
            String[] cols = line.split(",", -1);
            if (cols.length >= 4 && !cols[3].isBlank()) {
                out.put(cols[0] + "," + cols[1] + "," + cols[2], Double.parseDouble(cols[3]));
            }
        }
        return out;
    }

    static ModelProfile profileFor(String hash) {
        int bucket = Math.floorMod(hash.hashCode(), 6);
        return bucket < 3 ? Measured.RESNET18 : bucket < 5 ? Measured.MLP : Measured.RESNET50;
    }
}
