package dev.hearth.scheduler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AzureTraceCsvTest {

    private static Reader resource(String name) {
        return new InputStreamReader(
                AzureTraceCsvTest.class.getResourceAsStream("/azure/" + name), StandardCharsets.UTF_8);
    }

    @Test
    void readsTheAzureSchemaWithDurations() {
        Trace t = AzureTraceCsv.read(
                "fixture",
                resource("invocations_per_function_md.anon.d01.csv"),
                resource("function_durations_percentiles.anon.d01.csv"),
                1440,
                100);
        assertThat(t.minutes()).isEqualTo(10);
        assertThat(t.functions()).extracting(Trace.Function::id).containsExactly("f1", "f2", "f3");
        Trace.Function f2 = t.functions().get(1);
        assertThat(f2.trigger()).isEqualTo("queue");
        assertThat(f2.perMinute()).containsExactly(5, 5, 5, 6, 4, 5, 5, 5, 6, 5);
        assertThat(f2.profile().serviceMsAtOneCore()).isEqualTo(120);
        assertThat(t.invocations()).isEqualTo(5 + 7 + 51);
    }

    @Test
    void keepsTheFirstMinutesAndFunctions() {
        Trace t = AzureTraceCsv.read("fixture", resource("invocations_per_function_md.anon.d01.csv"), null, 3, 2);
        assertThat(t.minutes()).isEqualTo(3);
        assertThat(t.functions()).extracting(Trace.Function::id).containsExactly("f1", "f2");
    }

    @Test
    void writesWhatItReads() throws IOException {
        Trace generated = TraceGenerator.generate("bursty", 30, 3);
        StringWriter inv = new StringWriter();
        StringWriter dur = new StringWriter();
        AzureTraceCsv.write(generated, inv);
        AzureTraceCsv.writeDurations(generated, dur);
        assertThat(inv.toString()).startsWith("HashOwner,HashApp,HashFunction,Trigger,1,2,3,");
        Trace back = AzureTraceCsv.read(
                "back", new StringReader(inv.toString()), new StringReader(dur.toString()), 1440, 1000);
        assertThat(back.invocations()).isEqualTo(generated.invocations());
        for (Trace.Function f : generated.functions()) {
            Trace.Function g = back.functions().stream()
                    .filter(x -> x.id().equals(f.id()))
                    .findFirst()
                    .orElseThrow();
            assertThat(g.perMinute()).isEqualTo(f.perMinute());
            assertThat(g.owner()).isEqualTo(f.owner());
            assertThat(g.profile().serviceMsAtOneCore())
                    .isEqualTo(Math.round(f.profile().serviceMsAtOneCore()));
        }
    }

    @Test
    void refusesAnotherSchemaSayingWhatItExpects() {
        assertThatThrownBy(() -> AzureTraceCsv.read("x", new StringReader("a,b,c\n1,2,3\n"), null, 10, 10))
                .hasMessageContaining("HashOwner,HashApp,HashFunction,Trigger");
    }
}
