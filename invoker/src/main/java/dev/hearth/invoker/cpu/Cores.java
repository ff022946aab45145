package dev.hearth.invoker.cpu;

import java.time.Duration;

/**
 * How the activations on this machine share its cores: the {@link RunningShares} split the threads
 * between those running, and model forward passes take turns at the {@link PassGate}, waiting at most
 * {@code passMaxWait} for one.
 */
public record Cores(RunningShares shares, PassGate gate, Duration passMaxWait) {
    public Cores {
        if (passMaxWait.isNegative()) {
            throw new IllegalArgumentException("passMaxWait " + passMaxWait + " is negative");
        }
    }

    /** This machine's cores, split ({@code split}) and with the gate when {@code passMaxWait} is positive. */
    public static Cores ofThisMachine(boolean split, Duration passMaxWait) {
        return new Cores(
                split ? RunningShares.ofThisMachine() : RunningShares.off(),
                passMaxWait.isPositive() ? PassGate.ofThisMachine() : PassGate.off(),
                passMaxWait);
    }

    /** Whether a forward pass goes through the gate. */
    public boolean gated() {
        return passMaxWait.isPositive();
    }
}
