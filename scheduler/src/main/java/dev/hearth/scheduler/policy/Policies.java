package dev.hearth.scheduler.policy;

import java.util.List;
import java.util.stream.Collectors;

/** Every policy, by name, in the order tables list them (baselines first, Hearth's last). */
public final class Policies {
    private Policies() {}

    public static List<Policy> all() {
        return List.of(
                new FixedKeepAlive(),
                new Aiad(),
                new Oneshot(),
                Faro.sum(),
                Faro.fair(),
                new HybridHas(),
                new HearthPolicy());
    }

    public static List<String> names() {
        return all().stream().map(Policy::name).toList();
    }

    public static Policy byName(String name) {
        return all().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown policy '" + name + "'; known: "
                        + all().stream().map(Policy::name).collect(Collectors.joining(", "))));
    }
}
