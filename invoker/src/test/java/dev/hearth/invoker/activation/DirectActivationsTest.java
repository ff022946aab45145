package dev.hearth.invoker.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DirectActivationsTest {
    @ParameterizedTest(name = "configured={0} server.address={1} localHost={2} → {4}")
    @CsvSource(
            nullValues = "-",
            value = {
                // configured URL wins as it is
                "http://invoker-0.hearth:3236, 10.0.0.5, 10.0.0.9, 4000, http://invoker-0.hearth:3236",
                // a server bound to one address is reached there
                "-, 127.0.0.1, 10.0.0.9, 4000, http://127.0.0.1:4000",
                // bound to every address (or unset): this host's address
                "-, 0.0.0.0, 10.0.0.9, 4000, http://10.0.0.9:4000",
                "-, -, 10.0.0.9, 4000, http://10.0.0.9:4000",
                // a name that does not resolve: the loopback (one-machine set-ups)
                "-, -, -, 4000, http://127.0.0.1:4000",
                // IPv6 literals get brackets
                "-, -, fd00::5, 4000, http://[fd00::5]:4000",
            })
    void theAdvertisedUrl(String configured, String serverAddress, String localHost, int port, String expected) {
        URI url = DirectActivations.advertisedUrl(
                configured == null ? null : URI.create(configured), serverAddress, () -> localHost, port);
        assertThat(url).isEqualTo(URI.create(expected));
    }

    @Test
    void recentIdsSkipARepeatAndForgetTheOldestBeyondCapacity() {
        RecentIds ids = new RecentIds(2);
        assertThat(ids.add("a")).isTrue();
        assertThat(ids.add("a")).isFalse();
        assertThat(ids.add("b")).isTrue();
        assertThat(ids.add("c")).isTrue(); // "a" forgotten
        assertThat(ids.add("a")).isTrue();
        assertThat(ids.add("c")).isFalse();
        assertThatThrownBy(() -> new RecentIds(0)).hasMessageContaining("at least 1");
    }
}
