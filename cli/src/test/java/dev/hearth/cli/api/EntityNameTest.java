package dev.hearth.cli.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.cli.CliException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EntityNameTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "hello, _, hello, /namespaces/_/actions/hello",
        "pkg/hello, _, pkg/hello, /namespaces/_/actions/pkg/hello",
        "/guest/hello, guest, hello, /namespaces/guest/actions/hello",
        "/guest/pkg/hello, guest, pkg/hello, /namespaces/guest/actions/pkg/hello",
        "my action, _, my action, /namespaces/_/actions/my%20action"
    })
    void parses(String raw, String namespace, String name, String path) {
        EntityName entity = EntityName.parse(raw, "_");
        assertThat(entity).isEqualTo(new EntityName(namespace, name));
        assertThat(entity.actionPath()).isEqualTo(path);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "/", "/guest", "a/b/c", "/a/b/c/d", "a//b", "/guest/"})
    void rejects(String raw) {
        assertThatThrownBy(() -> EntityName.parse(raw, "_"))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("not a valid entity name")
                .extracting(e -> ((CliException) e).exitCode())
                .isEqualTo(2);
    }
}
