package dev.hearth.invoker.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunningSharesTest {

    @Test
    void theThreadsFollowWhoIsRunningWhenAsked() {
        RunningShares shares = new RunningShares(2);
        RunningShares.Running a = shares.enter(1.0);
        assertThat(shares.threads(a)).as("alone").isEqualTo(2);

        RunningShares.Running b = shares.enter(1.0);
        assertThat(shares.threads(a)).isEqualTo(1);
        assertThat(shares.threads(b)).isEqualTo(1);

        RunningShares.Running rare = shares.enter(10.0);
        assertThat(shares.threads(rare)).as("round(2 * 10 / 12)").isEqualTo(2);
        assertThat(shares.threads(b)).isEqualTo(1);

        a.close();
        b.close();
        b.close(); // idempotent: b's share is not taken off twice
        assertThat(shares.count()).isEqualTo(1);
        assertThat(shares.threads(rare)).isEqualTo(2);
        assertThat(shares.threads(a)).as("ended").isZero();

        rare.close();
        RunningShares.Running c = shares.enter(0.5);
        assertThat(shares.threads(c)).as("nothing left over from the others").isEqualTo(2);
    }

    @Test
    void aSuspendedActivationTakesNoShareUntilItResumes() {
        RunningShares shares = new RunningShares(4);
        RunningShares.Running a = shares.enter(1.0);
        RunningShares.Running waiting = shares.enter(1.0);
        waiting.suspend();
        waiting.suspend(); // twice: still taken off once
        assertThat(shares.threads(a)).as("the waiting one does not count").isEqualTo(4);
        assertThat(shares.count()).isEqualTo(1);
        waiting.resume();
        waiting.resume(); // twice: still counted once
        assertThat(shares.threads(a)).isEqualTo(2);
        assertThat(shares.threads(waiting)).isEqualTo(2);
        waiting.close();
        waiting.resume(); // closed: stays out
        assertThat(shares.threads(a)).isEqualTo(4);
        assertThat(shares.count()).isEqualTo(1);
    }

    @Test
    void offSplitsNothing() {
        RunningShares off = RunningShares.off();
        RunningShares.Running a = off.enter(1.0);
        off.enter(1.0);
        assertThat(off.threads(a)).isZero();
    }
}
