package dev.hearth.proxy;

import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Path;

/** An initialized action: its entry method, the class loader that owns its jar, and where the jar is. */
record LoadedAction(String name, Method entry, URLClassLoader loader, Path jar) {}
