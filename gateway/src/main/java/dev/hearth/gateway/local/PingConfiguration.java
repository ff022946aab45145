package dev.hearth.gateway.local;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** {@code GET /ping} answers 200 {@code pong}, as OpenWhisk's edge does; it does not ask a controller. */
@Configuration(proxyBeanMethods = false)
class PingConfiguration {

    @Bean
    RouterFunction<ServerResponse> pingRoute() {
        return route(
                GET("/ping"),
                request -> ServerResponse.ok().contentType(MediaType.TEXT_PLAIN).bodyValue("pong"));
    }
}
