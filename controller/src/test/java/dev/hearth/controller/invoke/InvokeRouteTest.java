package dev.hearth.controller.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InvokeRouteTest {

    /** Method and raw URI in; the namespace, package and name taken, or "-" when the request is not an invocation. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            value = {
                "POST | /api/v1/namespaces/_/actions/echo              | _ | null | echo",
                "POST | /api/v1/namespaces/guest/actions/pkg/echo      | guest | pkg | echo",
                "POST | /api/v1/namespaces/_/actions/ech%6F            | _ | null | echo",
                "POST | /api/v1/namespaces/_/actions/a+b               | _ | null | a+b",
                "POST | /api/v1/namespaces/_/actions/a%2Fb             | _ | null | a/b",
                "POST | /api/v1/namespaces/_/actions/my%20action       | _ | null | my action",
                "GET  | /api/v1/namespaces/_/actions/echo              | - | - | -",
                "PUT  | /api/v1/namespaces/_/actions/echo              | - | - | -",
                "post | /api/v1/namespaces/_/actions/echo              | - | - | -",
                "POST | /api/v1/namespaces/_/actions/echo/             | - | - | -",
                "POST | /api/v1/namespaces/_/actions/                  | - | - | -",
                "POST | /api/v1/namespaces/_/actions                   | - | - | -",
                "POST | /api/v1/namespaces/_/actions//echo             | - | - | -",
                "POST | /api/v1/namespaces//actions/echo               | - | - | -",
                "POST | /api/v1/namespaces/_/actions/a/b/c             | - | - | -",
                "POST | /api/v1/namespaces/_/triggers/t                | - | - | -",
                "POST | /api/v1/namespaces/_/Actions/echo              | - | - | -",
                "POST | /api/v1/namespaces/_/actions/echo;jsessionid=1 | - | - | -",
                "POST | /api/v1/namespaces/_/actions/ech%zz            | - | - | -",
                "POST | /api/v2/namespaces/_/actions/echo              | - | - | -",
                "POST | /api/v1/namespaces/_/activations/abc           | - | - | -",
            })
    void matchesTheInvokeRouteOnly(String method, String uri, String namespace, String pkg, String name) {
        var route = InvokeRoute.match(method, uri);
        if ("-".equals(namespace)) {
            assertThat(route).isEmpty();
        } else {
            assertThat(route).contains(new InvokeRoute(namespace, pkg, name));
        }
    }

    /** A raw query string in; the value its first {@code name} pair gives, or "-" for none. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            value = {
                "blocking=true&result=true   | blocking | true",
                "result=true&blocking=true   | blocking | true",
                "blocking=false&blocking=true | blocking | false",
                "blocking                    | blocking | ''",
                "blocking=                   | blocking | ''",
                "timeout=1%30&blocking=true  | timeout  | 10",
                "a=x+y                       | a        | x y",
                "&&blocking=true&            | blocking | true",
                "timeout=%zz&blocking=true   | timeout  | -",
                "timeout=%zz&blocking=true   | blocking | true",
                "null                        | blocking | -",
                "''                          | blocking | -",
            })
    void readsTheQueryStringOnly(String rawQuery, String name, String value) {
        var query = InvokeRoute.query(rawQuery);
        if ("-".equals(value)) {
            assertThat(query).doesNotContainKey(name);
        } else {
            assertThat(query).containsEntry(name, value);
        }
    }
}
