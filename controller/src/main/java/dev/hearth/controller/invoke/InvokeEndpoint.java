package dev.hearth.controller.invoke;

import dev.hearth.common.id.TransactionId;
import dev.hearth.controller.web.RequestBodies;
import dev.hearth.controller.web.TransactionIdFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Tomcat's way to {@link Invocations}: the invoke route is the one endpoint served outside Spring MVC, by
 * this servlet filter ahead of the others, which answers it itself and passes every other request on. An
 * invocation is the platform's hottest call, and the layers it skips here — the MVC observation, the
 * character-encoding, form and request-context filters, the dispatcher's handler mapping, argument resolvers
 * and message converters — cost a warm model call ~0.3 ms of CPU on the cores its forward pass shares
 * (docs/architecture.md, "Measured", session 30). The transaction id is taken or made by
 * {@link TransactionIdFilter#assign} whichever of the two filters runs first; {@code hearth.invocations}
 * replaces the observation's {@code http.server.requests}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class InvokeEndpoint extends HttpFilter {
    private final Invocations invocations;

    InvokeEndpoint(Invocations invocations) {
        this.invocations = invocations;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI();
        if (!Invocations.isInvocation(request.getMethod(), path)) {
            chain.doFilter(request, response);
            return;
        }
        TransactionId tid = TransactionIdFilter.assign(request, response);
        Invocations.Reply reply = invocations.invoke(
                path,
                request.getQueryString(),
                request.getHeader(HttpHeaders.AUTHORIZATION),
                tid,
                max -> RequestBodies.read(request, max));
        if (reply.activationId() != null) {
            response.setHeader(Invocations.Reply.ACTIVATION_ID_HEADER, reply.activationId());
        }
        response.setStatus(reply.status());
        response.setContentType(Invocations.Reply.CONTENT_TYPE);
        response.setContentLength(reply.body().length);
        response.getOutputStream().write(reply.body());
    }
}
