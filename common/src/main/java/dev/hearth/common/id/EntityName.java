package dev.hearth.common.id;

import java.util.regex.Pattern;

/**
 * A namespace, package or action name segment, with OpenWhisk's rules: starts with a word
 * character, then word characters, spaces, '@', '.', '-'; does not end with a space; at most 256
 * characters.
 */
public record EntityName(String value) {
    public static final int MAX_LENGTH = 256;
    private static final Pattern FORM = Pattern.compile("\\A([\\w]|[\\w][\\w@ .-]*[\\w@.-]+)\\z");

    public EntityName {
        if (!isValid(value)) {
            throw new IllegalArgumentException("The name '" + value + "' is not a valid entity name: it must "
                    + "start with a letter, digit or underscore, contain only letters, digits, spaces, "
                    + "'_', '@', '.', '-', and be at most " + MAX_LENGTH + " characters long.");
        }
    }

    public static boolean isValid(String value) {
        return value != null
                && value.length() <= MAX_LENGTH
                && FORM.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
