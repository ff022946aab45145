package dev.hearth.scheduler.live;

import dev.hearth.common.message.SchedulingDecision;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /policy}: the policy in force, its interval, the core budget per invoker, and its last decisions (newest first). */
@RestController
class PolicyEndpoint {
    private final SchedulingLoop loop;

    PolicyEndpoint(SchedulingLoop loop) {
        this.loop = loop;
    }

    record PolicyView(String policy, long intervalMs, double coresPerInvoker, List<SchedulingDecision> decisions) {}

    @GetMapping("/policy")
    PolicyView policy() {
        return new PolicyView(loop.policy(), loop.intervalMs(), loop.coresPerInvoker(), loop.lastDecisions());
    }
}
