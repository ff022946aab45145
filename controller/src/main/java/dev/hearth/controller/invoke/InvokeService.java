package dev.hearth.controller.invoke;

import dev.hearth.common.id.ActivationId;
import dev.hearth.common.id.TransactionId;
import dev.hearth.common.message.ActivationMessage;
import dev.hearth.common.message.CompletionMessage;
import dev.hearth.common.message.Message;
import dev.hearth.controller.action.ActionName;
import dev.hearth.controller.action.ActionRecord;
import dev.hearth.controller.action.ActionService;
import dev.hearth.controller.config.ControllerProperties;
import dev.hearth.controller.loadbalancer.LoadBalancer;
import dev.hearth.controller.namespace.Identity;
import dev.hearth.controller.web.ApiException;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Service;

/**
 * The invoke flow: action (cached) → throttles → parameters merged ({@link InvokeParameters}) →
 * activation id → load balancer → for a blocking call, wait for the completion up to the allowed time. Split in {@link #prepare}
 * and {@link #run} so the caller can put the activation id on the response before anything fails.
 */
@Service
class InvokeService {
    private final ActionService actions;
    private final LoadBalancer balancer;
    private final ControllerProperties properties;
    private final Clock clock;
    private final RateThrottle rate;

    InvokeService(ActionService actions, LoadBalancer balancer, ControllerProperties properties, Clock clock) {
        this.actions = actions;
        this.balancer = balancer;
        this.properties = properties;
        this.clock = clock;
        this.rate = new RateThrottle(clock);
    }

    /** An activation ready to dispatch. */
    record Prepared(ActivationMessage message, ActionRecord action) {
        String activationId() {
            return message.activationId();
        }
    }

    /** How the invocation ended for the caller. */
    sealed interface Outcome {
        /** Non-blocking, or the wait ran out: 202. */
        record Accepted(String activationId) implements Outcome {}

        /** The completion arrived in time. */
        record Completed(CompletionMessage completion) implements Outcome {}
    }

    Prepared prepare(
            Identity identity,
            String namespace,
            ActionName name,
            InvokeParameters params,
            boolean blocking,
            TransactionId tid) {
        ActionRecord action = actions.cached(namespace, name);
        throttle(namespace);
        ActivationMessage message = new ActivationMessage(
                Message.SCHEMA,
                tid.value(),
                ActivationId.generate().value(),
                namespace,
                identity.namespace(),
                action.path(),
                action.version(),
                action.exec(),
                action.limits(),
                action.annotations(),
                params.under(action.parameters()),
                blocking,
                properties.instance(),
                clock.millis());
        return new Prepared(message, action);
    }

    /** Dispatches and, for a blocking call, waits up to {@code wait}. */
    Outcome run(Prepared prepared, Duration wait) {
        if (!prepared.message().blocking()) {
            balancer.dispatch(prepared.message(), false);
            return new Outcome.Accepted(prepared.activationId());
        }
        return balancer.invoke(prepared.message(), wait)
                .<Outcome>map(Outcome.Completed::new)
                .orElseGet(() -> new Outcome.Accepted(prepared.activationId()));
    }

    /**
     * How long a blocking call waits: the {@code timeout} parameter if given (1 ms up to
     * {@code maxBlockingWait}, else 400), otherwise {@code maxBlockingWait}.
     */
    Duration waitFor(String timeoutParam) {
        long max = properties.maxBlockingWait().toMillis();
        if (timeoutParam == null || timeoutParam.isBlank()) {
            return properties.maxBlockingWait();
        }
        long ms;
        try {
            ms = Long.parseLong(timeoutParam.trim());
        } catch (NumberFormatException e) {
            ms = -1;
        }
        if (ms <= 0 || ms > max) {
            throw new ApiException.BadRequest("Timeout must be number of milliseconds up to " + max + ".");
        }
        return Duration.ofMillis(ms);
    }

    private void throttle(String namespace) {
        int allowedRate = properties.throttles().invocationsPerMinute();
        int count = rate.record(namespace);
        if (count > allowedRate) {
            throw new ApiException.Throttled(
                    "Too many requests in the last minute (count: " + count + ", allowed: " + allowedRate + ").");
        }
        int allowedConcurrent = properties.throttles().concurrentInvocations();
        int inFlight = balancer.inFlight(namespace);
        if (inFlight >= allowedConcurrent) {
            throw new ApiException.Throttled("Too many concurrent requests in flight (count: " + inFlight
                    + ", allowed: " + allowedConcurrent + ").");
        }
    }
}
