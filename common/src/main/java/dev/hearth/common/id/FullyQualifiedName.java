package dev.hearth.common.id;

/**
 * An action's full name: namespace, optional package, name. {@link #path()} is OpenWhisk's
 * {@code path} annotation ({@code ns/name} or {@code ns/pkg/name}); {@link #toString()} adds the
 * leading slash ({@code /ns/name}).
 */
public record FullyQualifiedName(EntityName namespace, EntityName pkg, EntityName name) {
    public FullyQualifiedName {
        if (namespace == null || name == null) {
            throw new IllegalArgumentException("a fully qualified name needs a namespace and a name");
        }
    }

    public static FullyQualifiedName of(String namespace, String name) {
        return new FullyQualifiedName(new EntityName(namespace), null, new EntityName(name));
    }

    /** Parses {@code ns/name} or {@code ns/pkg/name}, with or without a leading slash. */
    public static FullyQualifiedName parse(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        String[] parts = p.split("/", -1);
        return switch (parts.length) {
            case 2 -> new FullyQualifiedName(new EntityName(parts[0]), null, new EntityName(parts[1]));
            case 3 ->
                new FullyQualifiedName(new EntityName(parts[0]), new EntityName(parts[1]), new EntityName(parts[2]));
            default -> throw new IllegalArgumentException("not a fully qualified action name: " + path);
        };
    }

    public String path() {
        return pkg == null ? namespace + "/" + name : namespace + "/" + pkg + "/" + name;
    }

    @Override
    public String toString() {
        return "/" + path();
    }
}
