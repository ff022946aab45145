package dev.hearth.invoker.tensors;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the tensor store tidy: at start it rebuilds the {@link TensorLedger} from the store's directory
 * and (optionally) scrubs every file in the background — hashing it again and removing it if it no
 * longer matches its name, so a file damaged while no invoker ran is rebuilt by the next load, never
 * served; then, every sweep, it takes in new files and removes the unreferenced tensors whose grace has
 * passed ({@link ReclaimPolicy} without pressure; pressure comes from the pool).
 */
public final class TensorJanitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TensorJanitor.class);

    private final TensorLedger ledger;
    private final Clock clock;
    private final Duration grace;
    private final ScheduledExecutorService sweeper;

    public TensorJanitor(TensorLedger ledger, Clock clock, Duration grace, boolean scrub) {
        this.ledger = ledger;
        this.clock = clock;
        this.grace = grace;
        try {
            ledger.rebuild();
            TensorUsage usage = ledger.usage();
            log.info(
                    "tensor store {}: {} tensors, {} bytes",
                    ledger.tensorStore().root(),
                    usage.tensors().size(),
                    usage.storedBytes());
        } catch (IOException e) {
            log.warn("cannot read the tensor store {}: {}", ledger.tensorStore().root(), e.toString());
        }
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("tensor-janitor").factory());
        if (scrub) {
            sweeper.execute(this::scrub);
        }
        long period = Math.clamp(grace.toMillis() / 4, 200, 60_000);
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /** Hashes every stored tensor again; bad ones are deleted by the store and dropped from the ledger. */
    void scrub() {
        int bad = 0;
        for (String digest : ledger.usage().tensors().keySet()) {
            try {
                if (!ledger.tensorStore().scrub(digest)) {
                    bad++;
                }
            } catch (IOException e) {
                log.warn("cannot scrub tensor {}: {}", digest, e.toString());
            }
        }
        if (bad > 0) {
            log.warn("removed {} damaged tensors from the store; the next load of their models rebuilds them", bad);
        }
        refresh();
    }

    /** One sweep: new files in, expired unreferenced tensors out. */
    public void sweep() {
        refresh();
        List<String> expired = ReclaimPolicy.choose(ledger.usage(), clock.instant(), grace, 0, Set.of());
        if (!expired.isEmpty()) {
            long freed = ledger.remove(expired);
            log.info("removed {} tensors unreferenced for {} ({} bytes)", expired.size(), grace, freed);
        }
    }

    private void refresh() {
        try {
            ledger.refresh();
        } catch (IOException e) {
            log.warn("cannot read the tensor store: {}", e.toString());
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
