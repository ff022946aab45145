package dev.hearth.controller.web;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /ping} without authentication: {@code pong} as text, as OpenWhisk's controller answers. */
@RestController
class PingController {

    @GetMapping(value = "/ping", produces = MediaType.TEXT_PLAIN_VALUE)
    String ping() {
        return "pong";
    }
}
