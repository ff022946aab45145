package dev.hearth.controller.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.DelegatingServletInputStream;
import org.springframework.mock.web.MockHttpServletRequest;

class RequestBodiesTest {
    private static final byte[] BODY = "{\"image\":\"AAAA\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aBodyOfDeclaredLengthIsReadWhole() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/");
        request.setContent(BODY);

        assertThat(RequestBodies.read(request, 1024)).isEqualTo(BODY);
    }

    @Test
    void aLargeBodyOfDeclaredLengthArrivingInPiecesIsReadWhole() {
        byte[] large = new byte[300_000];
        Arrays.fill(large, (byte) 'a');
        MockHttpServletRequest request = new TrickleRequest(large, true);

        assertThat(RequestBodies.read(request, 1_000_000)).isEqualTo(large);
    }

    @Test
    void aBodyOfUnknownLengthIsReadToItsEnd() {
        byte[] large = new byte[100_000];
        Arrays.fill(large, (byte) 'b');

        assertThat(RequestBodies.read(new TrickleRequest(large, false), 1_000_000))
                .isEqualTo(large);
    }

    @Test
    void tooLargeBodiesAreRefusedWhetherDeclaredOrNot() {
        byte[] large = new byte[2048];
        MockHttpServletRequest declared = new MockHttpServletRequest("POST", "/");
        declared.setContent(large);

        assertThatThrownBy(() -> RequestBodies.read(declared, 1024))
                .isInstanceOf(ApiException.TooLarge.class)
                .hasMessageContaining("2048 > 1024");
        assertThatThrownBy(() -> RequestBodies.read(new TrickleRequest(large, false), 1024))
                .isInstanceOf(ApiException.TooLarge.class);
    }

    /** A body read already (the gateway's call in one JVM) is bounded like one read from a request. */
    @Test
    void aBodyReadAlreadyIsBoundedAlike() {
        assertThat(RequestBodies.bounded(BODY, BODY.length)).isSameAs(BODY);
        assertThat(RequestBodies.bounded(new byte[0], 0)).isEmpty();
        assertThatThrownBy(() -> RequestBodies.bounded(BODY, BODY.length - 1))
                .isInstanceOf(ApiException.TooLarge.class)
                .hasMessageContaining(BODY.length + " > " + (BODY.length - 1));
    }

    /** A request whose stream hands out at most 7 KB per read, with or without a declared length. */
    private static final class TrickleRequest extends MockHttpServletRequest {
        private final byte[] body;
        private final boolean declared;

        TrickleRequest(byte[] body, boolean declared) {
            super("POST", "/");
            this.body = body;
            this.declared = declared;
        }

        @Override
        public long getContentLengthLong() {
            return declared ? body.length : -1;
        }

        @Override
        public int getContentLength() {
            return (int) getContentLengthLong();
        }

        @Override
        public jakarta.servlet.ServletInputStream getInputStream() {
            InputStream whole = new ByteArrayInputStream(body);
            return new DelegatingServletInputStream(new InputStream() {
                @Override
                public int read() throws IOException {
                    return whole.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return whole.read(b, off, Math.min(len, 7 * 1024));
                }
            });
        }
    }
}
