package dev.hearth.invoker.pool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /invoker/containers}: the pool's containers and their states, for operators and tests. */
@RestController
public class ContainersEndpoint {
    private final ContainerPool pool;

    public ContainersEndpoint(ContainerPool pool) {
        this.pool = pool;
    }

    @GetMapping("/invoker/containers")
    public Map<String, Object> containers() {
        PoolSnapshot snapshot = pool.snapshot();
        List<Map<String, Object>> containers =
                snapshot.entries().stream().map(ContainersEndpoint::describe).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userMemoryMb", snapshot.userMemoryMb());
        body.put("freeMemoryMb", snapshot.freeMemoryMb());
        body.put("tensorStoreMb", snapshot.storeMb());
        body.put("reclaimableTensorMb", snapshot.reclaimableMb());
        body.put("queued", pool.queued());
        body.put("startedAhead", pool.startedAhead());
        body.put("containers", containers);
        return body;
    }

    private static Map<String, Object> describe(PoolEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("memoryMb", e.memoryMb());
        m.put("state", e.state().label());
        switch (e.state()) {
            case ContainerState.Starting s -> {
                m.put("action", s.action().path());
                m.put("version", s.action().version());
                m.put("since", s.since().toString());
            }
            case ContainerState.Busy b -> {
                m.put("action", b.action().path());
                m.put("version", b.action().version());
                m.put("since", b.since().toString());
                m.put("activationId", b.activationId());
            }
            case ContainerState.Idle i -> {
                m.put("action", i.action().path());
                m.put("version", i.action().version());
                m.put("lastUsed", i.lastUsed().toString());
            }
            case ContainerState.Prewarming p -> {
                m.put("kind", p.kind());
                m.put("since", p.since().toString());
            }
            case ContainerState.Prewarmed p -> {
                m.put("kind", p.kind());
                m.put("since", p.since().toString());
                m.put("preloaded", p.preloaded().stream().sorted().toList());
            }
            case ContainerState.Removing r -> m.put("since", r.since().toString());
        }
        return m;
    }
}
