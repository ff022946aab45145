package dev.hearth.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.json.RawJson;
import dev.hearth.common.message.ActivationMessage;
import dev.hearth.common.message.CompletionMessage;
import dev.hearth.common.message.Message;
import dev.hearth.controller.loadbalancer.DirectInvoker;
import dev.hearth.controller.loadbalancer.DirectInvoker.Result;
import dev.hearth.testsupport.SampleActivations;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class InProcessDirectInvokerTest {
    private static final URI HERE = URI.create("http://10.0.0.5:3240");
    private static final URI THERE = URI.create("http://10.0.0.6:3240");

    private final AtomicInteger remoteCalls = new AtomicInteger();
    private final DirectInvoker remote = (endpoint, message, wait) -> {
        remoteCalls.incrementAndGet();
        return new Result.Failed("remote " + endpoint);
    };
    private final InProcessDirectInvoker.Attachment attachment = new InProcessDirectInvoker.Attachment();
    private final InProcessDirectInvoker invoker = new InProcessDirectInvoker(remote, attachment);

    @Test
    void theInvokerOfThisProcessIsCalledAndItsCompletionReturned() {
        ActivationMessage m = message();
        CompletionMessage c = completion(m);
        attachment.attach(new InProcessDirectInvoker.Local(HERE, got -> {
            assertThat(got).as("the controller's record itself, not a copy").isSameAs(m);
            return Optional.of(c);
        }));
        assertThat(invoker.call(HERE, m, Duration.ofSeconds(5))).isEqualTo(new Result.Completed(c));
        assertThat(remoteCalls).hasValue(0);
    }

    @Test
    void anotherEndpointOrNoInvokerHereGoesOverTheNetwork() {
        assertThat(invoker.call(HERE, message(), Duration.ofSeconds(1))).isEqualTo(new Result.Failed("remote " + HERE));
        attachment.attach(new InProcessDirectInvoker.Local(HERE, got -> Optional.empty()));
        assertThat(invoker.call(THERE, message(), Duration.ofSeconds(1)))
                .isEqualTo(new Result.Failed("remote " + THERE));
        attachment.detach();
        invoker.call(HERE, message(), Duration.ofSeconds(1));
        assertThat(remoteCalls).hasValue(3);
    }

    @Test
    void theOutcomesAreTheHttpPathsOnes() throws Exception {
        attachment.attach(local(got -> Optional.empty()));
        assertThat(invoker.call(HERE, message(), Duration.ofSeconds(1))).isInstanceOf(Result.AlreadyAccepted.class);
        attachment.attach(local(got -> {
            throw new IllegalStateException("boom");
        }));
        assertThat(invoker.call(HERE, message(), Duration.ofSeconds(1)))
                .isInstanceOf(Result.Failed.class)
                .asString()
                .contains("boom");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        attachment.attach(local(got -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            finished.countDown();
            return Optional.of(completion(got));
        }));
        assertThat(invoker.call(HERE, message(), Duration.ofMillis(100)))
                .as("the wait ran out; the activation goes on")
                .isInstanceOf(Result.TimedOut.class);
        release.countDown();
        assertThat(finished.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    private static InProcessDirectInvoker.Local local(Function<ActivationMessage, Optional<CompletionMessage>> runNow) {
        return new InProcessDirectInvoker.Local(HERE, runNow);
    }

    private static ActivationMessage message() {
        return SampleActivations.blocking("java", RawJson.emptyObject());
    }

    private static CompletionMessage completion(ActivationMessage m) {
        return new CompletionMessage(Message.SCHEMA, m.transactionId(), m.activationId(), 0, 256, false, null);
    }
}
