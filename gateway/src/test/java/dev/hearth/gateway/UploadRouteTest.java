package dev.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/** Artifact uploads get their own, longer response timeout; everything else keeps the short one. */
class UploadRouteTest {

    @Test
    void anUploadMayOutlastTheOrdinaryResponseTimeout() throws Exception {
        try (StubController stub = new StubController("s");
                RunningGateway gateway = new RunningGateway(
                        "hearth.gateway.controllers=" + stub.uri(),
                        "hearth.gateway.response-timeout=1s",
                        "hearth.gateway.upload-timeout=20s")) {
            var upload = gateway.send(gateway.request("/api/v1/namespaces/_/artifacts")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4096]))
                    .build());
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
            assertThat(gateway.get("/api/v1/slow").statusCode()).isEqualTo(503);
        }
    }
}
