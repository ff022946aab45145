package dev.hearth.controller.web;

import dev.hearth.common.id.TransactionId;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Takes the transaction id from {@code X-Request-ID} when it is valid, else makes one; keeps it as a
 * request attribute (see {@link #of}) and echoes it on every response, errors included.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class TransactionIdFilter extends OncePerRequestFilter {
    static final String ATTRIBUTE = TransactionId.class.getName();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        assign(request, response);
        chain.doFilter(request, response);
    }

    /**
     * Takes or makes the request's transaction id, keeps it and echoes it, once: a request that already has
     * one keeps it. The invoke endpoint, a filter of the same order, calls this too, so neither depends on
     * running before the other.
     */
    public static TransactionId assign(HttpServletRequest request, HttpServletResponse response) {
        if (request.getAttribute(ATTRIBUTE) instanceof TransactionId assigned) {
            return assigned;
        }
        TransactionId tid = TransactionId.fromHeaderOrNew(request.getHeader(TransactionId.HEADER));
        request.setAttribute(ATTRIBUTE, tid);
        response.setHeader(TransactionId.HEADER, tid.value());
        return tid;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return true;
    }

    /** The request's transaction id (a new one if the filter did not run, e.g. in an error dispatch). */
    public static TransactionId of(HttpServletRequest request) {
        Object tid = request.getAttribute(ATTRIBUTE);
        return tid instanceof TransactionId t ? t : TransactionId.generate();
    }
}
