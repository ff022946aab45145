package dev.hearth.invoker;

import com.google.gson.JsonObject;
import dev.hearth.proxy.RuntimeProxy;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;

/** Derives the runtime proxy's classpath from where this JVM loaded RuntimeProxy and Gson. */
final class ProxyClasspath {
    private ProxyClasspath() {
    }

    static String derive() {
        return codeSource(RuntimeProxy.class) + File.pathSeparator + codeSource(JsonObject.class);
    }

    private static Path codeSource(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot locate the code source of " + type.getName()
                    + ": set " + InvokerProperties.PREFIX + "process.proxy-classpath");
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("the code source of " + type.getName() + " is not a local path ("
                    + source.getLocation() + "): set " + InvokerProperties.PREFIX + "process.proxy-classpath", e);
        }
    }
}
