package dev.hearth.gateway.routing;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Resolves the placeholder route URI {@value #SCHEME}{@code ://...} to a real controller, in the
 * order {@link ControllerRing} gives, and re-runs the rest of the chain (Netty's routing filter) on
 * the next controller when a connection cannot be opened. Only connect failures fail over: once a
 * controller has the request, it may be acting on it, so timeouts and broken connections do not.
 * The body has not been read when a connect fails, so it can still be sent to the next one.
 *
 * <p>Runs where Spring Cloud LoadBalancer's filter would (after the route URL is set, before
 * Netty's routing filter).
 */
final class ControllerRoutingFilter implements GlobalFilter, Ordered {

    /** Scheme of the route URI this filter resolves. */
    static final String SCHEME = "hearth-controllers";

    /** The order of Spring Cloud's ReactiveLoadBalancerClientFilter. */
    static final int ORDER = 10150;

    private static final Logger log = LoggerFactory.getLogger(ControllerRoutingFilter.class);

    private final ControllerRing ring;

    ControllerRoutingFilter(ControllerRing ring) {
        this.ring = ring;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
        if (url == null || !SCHEME.equals(url.getScheme())) {
            return chain.filter(exchange);
        }
        return attempt(exchange, chain, url, ring.next(), 0);
    }

    private Mono<Void> attempt(ServerWebExchange exchange, GatewayFilterChain chain, URI url, List<URI> order, int i) {
        URI target = ControllerRing.target(url, order.get(i));
        exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, target);
        return chain.filter(exchange)
                .onErrorResume(
                        e -> i + 1 < order.size()
                                && isConnectFailure(e)
                                && !exchange.getResponse().isCommitted(),
                        e -> {
                            log.warn(
                                    "controller {} refused a connection ({}); trying {}",
                                    order.get(i),
                                    e.toString(),
                                    order.get(i + 1));
                            ServerWebExchangeUtils.removeAlreadyRouted(exchange);
                            return attempt(exchange, chain, url, order, i + 1);
                        });
    }

    static boolean isConnectFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) { // includes Netty's ConnectTimeoutException
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
