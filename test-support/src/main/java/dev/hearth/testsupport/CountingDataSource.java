package dev.hearth.testsupport;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source that counts the connections asked of {@code target} (one fetch, one statement outside a
 * transaction: one connection) and otherwise is {@code target}, failures included.
 */
public record CountingDataSource(DataSource target, AtomicInteger connections) {
    public CountingDataSource(DataSource target) {
        this(target, new AtomicInteger());
    }

    public DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        connections.incrementAndGet();
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause(); // the target's own SQLException, as callers expect it
                    }
                });
    }
}
