package dev.hearth.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Traces in the Azure Functions 2019 schema ({@code invocations_per_function_md.anon.d01.csv}:
 * {@code HashOwner,HashApp,HashFunction,Trigger,1,2,...} with calls per minute), generated with a
 * fixed seed: a steady Poisson function (2 calls a minute), a periodic one (one call every 3 minutes),
 * a bursty one (bursts of 5 calls in one minute, every 8 minutes on average), and two sparse Poisson
 * ones (0.15 and 0.1 calls a minute: mostly beyond a 10-minute keep-alive, the case pre-loading is for).
 */
final class TraceGenerator {
    private TraceGenerator() {}

    static String generate(int minutes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, int[]> rows = new LinkedHashMap<>();
        rows.put("sparse-a", poisson(random, minutes, 0.15));
        rows.put("steady", poisson(random, minutes, 2.0));
        rows.put("periodic", periodic(minutes, 3));
        rows.put("bursty", bursty(random, minutes, 8, 5));
        rows.put("sparse-b", poisson(random, minutes, 0.1));
        StringBuilder csv = new StringBuilder("HashOwner,HashApp,HashFunction,Trigger");
        for (int m = 1; m <= minutes; m++) {
            csv.append(',').append(m);
        }
        csv.append('\n');
        rows.forEach((name, counts) -> {
            csv.append("owner,app-").append(name).append(',').append(name).append(",http");
            for (int c : counts) {
                csv.append(',').append(c);
            }
            csv.append('\n');
        });
        return csv.toString();
    }

    /** Function (HashFunction) → calls per minute, from the schema above. */
    static Map<String, List<Integer>> parse(String csv) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        String[] lines = csv.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split(",");
            if (f.length < 5) {
                continue;
            }
            List<Integer> counts = new ArrayList<>();
            for (int j = 4; j < f.length; j++) {
                counts.add(Integer.parseInt(f[j].trim()));
            }
            out.put(f[2], counts);
        }
        return out;
    }

    static int[] poisson(SplittableRandom random, int minutes, double perMinute) {
        int[] out = new int[minutes];
        for (int m = 0; m < minutes; m++) {
            double l = Math.exp(-perMinute);
            double p = random.nextDouble();
            int k = 0;
            while (p > l) {
                p *= random.nextDouble();
                k++;
            }
            out[m] = k;
        }
        return out;
    }

    static int[] periodic(int minutes, int every) {
        int[] out = new int[minutes];
        for (int m = 0; m < minutes; m += every) {
            out[m] = 1;
        }
        return out;
    }

    static int[] bursty(SplittableRandom random, int minutes, int meanGap, int size) {
        int[] out = new int[minutes];
        int m = random.nextInt(meanGap);
        while (m < minutes) {
            out[m] = size;
            m += 1 + random.nextInt(2 * meanGap - 1);
        }
        return out;
    }
}
