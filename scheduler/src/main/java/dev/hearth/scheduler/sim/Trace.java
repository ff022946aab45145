package dev.hearth.scheduler.sim;

import dev.hearth.common.entity.Slo;
import dev.hearth.scheduler.latency.ModelProfile;
import java.util.List;

/** A named set of functions with per-minute invocation counts (the Azure trace's granularity). */
public record Trace(String name, int minutes, List<Function> functions) {
    public Trace {
        functions = List.copyOf(functions);
        for (Function f : functions) {
            if (f.perMinute().length != minutes) {
                throw new IllegalArgumentException(
                        "function " + f.id() + " has " + f.perMinute().length + " minutes, the trace " + minutes);
            }
        }
    }

    public long invocations() {
        long n = 0;
        for (Function f : functions) {
            for (int c : f.perMinute()) {
                n += c;
            }
        }
        return n;
    }

    /**
     * One function: the Azure trace's owner, app and function hashes and trigger, the model it runs,
     * its SLO and its invocations in each minute.
     */
    public record Function(
            String owner, String app, String id, String trigger, ModelProfile profile, Slo slo, int[] perMinute) {
        public Function {
            perMinute = perMinute.clone();
        }
    }
}
