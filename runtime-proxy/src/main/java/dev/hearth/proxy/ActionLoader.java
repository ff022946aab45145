package dev.hearth.proxy;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Turns an {@link InitRequest} into a {@link LoadedAction}: finds the jar (decoding {@code code} into a
 * temporary file, or using {@code codePath} as is), checks it is a jar, loads it in its own
 * {@link URLClassLoader} whose parent is the proxy's loader (so the action's {@code JsonObject} is the
 * proxy's), and resolves {@code public static JsonObject <method>(JsonObject)}. Every failure is a 502
 * {@link ProxyError} whose message names the jar, class or method at fault.
 */
final class ActionLoader {

    private ActionLoader() {}

    static LoadedAction load(InitRequest init) throws ProxyError {
        boolean decoded = init.codePath() == null || init.codePath().isEmpty();
        Path jar = decoded ? decode(init.code()) : existingJar(init.codePath());
        try {
            LoadedAction action = load(init, jar);
            if (decoded) {
                forget(jar);
            }
            return action;
        } catch (ProxyError e) {
            if (decoded) {
                forget(jar);
            }
            throw e;
        }
    }

    private static LoadedAction load(InitRequest init, Path jar) throws ProxyError {
        checkIsJar(jar);
        URLClassLoader loader;
        try {
            loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ActionLoader.class.getClassLoader());
        } catch (IOException e) {
            throw ProxyError.badAction("Cannot open the action's jar " + jar + ": " + e.getMessage(), e);
        }
        try {
            Class<?> main = loadClass(init.mainClass(), loader);
            return new LoadedAction(init.name(), entry(main, init.method()), loader, jar);
        } catch (ProxyError | LinkageError e) {
            close(loader);
            if (e instanceof ProxyError error) {
                throw error;
            }
            throw ProxyError.badAction("Class " + init.mainClass() + " could not be linked: " + e, e);
        }
    }

    /**
     * Deletes a decoded jar once its class loader has it open: the open file stays readable (POSIX), and
     * a container killed with SIGKILL leaves nothing behind. Where deleting an open file fails, the jar
     * stays and goes at a normal exit.
     */
    private static void forget(Path decodedJar) {
        try {
            Files.deleteIfExists(decodedJar);
        } catch (IOException e) {
            // deleteOnExit is still registered
        }
    }

    private static void close(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // nothing was loaded from it that matters any more
        }
    }

    private static Path existingJar(String codePath) throws ProxyError {
        Path path = Path.of(codePath);
        if (!path.isAbsolute()) {
            throw ProxyError.badAction("The action's codePath must be an absolute path: " + codePath);
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw ProxyError.badAction("The action's codePath is not a readable file: " + codePath);
        }
        return path;
    }

    private static Path decode(String code) throws ProxyError {
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(strictBase64(code));
        } catch (IllegalArgumentException e) {
            throw ProxyError.badAction(
                    "The action's code is not valid base64 (a java action's code is a base64-encoded jar): "
                            + e.getMessage());
        }
        try {
            Path jar = Files.createTempFile("hearth-action-", ".jar");
            jar.toFile().deleteOnExit();
            Files.write(jar, bytes);
            return jar;
        } catch (IOException e) {
            throw new ProxyError(500, "Cannot write the action's jar to a temporary file: " + e.getMessage(), e);
        }
    }

    /** The MIME decoder skips foreign characters silently; reject them so garbage is reported as such. */
    private static String strictBase64(String code) {
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '+'
                    || c == '/'
                    || c == '='
                    || c == '\n'
                    || c == '\r'
                    || c == ' '
                    || c == '\t';
            if (!ok) {
                throw new IllegalArgumentException("illegal character '" + c + "' at index " + i);
            }
        }
        return code;
    }

    private static void checkIsJar(Path jar) throws ProxyError {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (zip.size() == 0) {
                throw ProxyError.badAction("The action's jar is empty: " + jar);
            }
        } catch (ZipException e) {
            throw ProxyError.badAction("The action's code is not a jar file (" + e.getMessage() + ").");
        } catch (IOException e) {
            throw ProxyError.badAction("Cannot read the action's jar " + jar + ": " + e.getMessage(), e);
        }
    }

    private static Class<?> loadClass(String name, ClassLoader loader) throws ProxyError {
        try {
            return Class.forName(name, true, loader);
        } catch (ClassNotFoundException e) {
            throw ProxyError.badAction("Class " + name + " was not found in the action's jar.");
        } catch (ExceptionInInitializerError e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            cause.printStackTrace();
            throw ProxyError.badAction("Class " + name + " failed to initialize: " + cause, cause);
        } catch (LinkageError e) {
            throw ProxyError.badAction("Class " + name + " could not be loaded: " + e, e);
        }
    }

    private static Method entry(Class<?> cls, String method) throws ProxyError {
        String expected = "public static com.google.gson.JsonObject " + method + "(com.google.gson.JsonObject)";
        List<String> found = new ArrayList<>();
        for (Method m : cls.getDeclaredMethods()) {
            if (!m.getName().equals(method)) {
                continue;
            }
            int mod = m.getModifiers();
            if (Modifier.isPublic(mod)
                    && Modifier.isStatic(mod)
                    && m.getReturnType() == JsonObject.class
                    && m.getParameterCount() == 1
                    && m.getParameterTypes()[0] == JsonObject.class) {
                m.trySetAccessible(); // the class itself may be package-private
                return m;
            }
            found.add(m.toGenericString());
        }
        if (found.isEmpty()) {
            throw ProxyError.badAction(
                    "Class " + cls.getName() + " has no method " + method + "; expected " + expected + ".");
        }
        throw ProxyError.badAction("Method " + cls.getName() + "." + method + " has the wrong signature: expected "
                + expected + ", found " + String.join("; ", found) + ".");
    }
}
