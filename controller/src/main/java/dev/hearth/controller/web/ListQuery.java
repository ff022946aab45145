package dev.hearth.controller.web;

import dev.hearth.controller.config.ControllerProperties;

/**
 * {@code limit} and {@code skip} of a list query, checked with OpenWhisk's messages. {@code limit=0}
 * means the maximum, as in OpenWhisk.
 */
public record ListQuery(int limit, int skip) {

    public static ListQuery of(String collection, String limit, String skip, ControllerProperties.ListLimits config) {
        int l = limit == null || limit.isBlank() ? config.defaultLimit() : integer(collection, limit);
        int s = skip == null || skip.isBlank() ? 0 : integer(collection, skip);
        if (l < 0 || l > config.maxLimit()) {
            throw new ApiException.BadRequest("The value '" + l + "' is not in the range of 0 to " + config.maxLimit()
                    + " for " + collection + ".");
        }
        if (s < 0) {
            throw new ApiException.BadRequest(
                    "The value '" + s + "' is not greater than or equal to 0 for " + collection + ".");
        }
        return new ListQuery(l == 0 ? config.maxLimit() : l, s);
    }

    private static int integer(String collection, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ApiException.BadRequest("The value '" + value + "' is not an integer for " + collection + ".");
        }
    }
}
