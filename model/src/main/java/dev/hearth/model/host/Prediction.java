package dev.hearth.model.host;

import com.google.gson.JsonObject;

/**
 * One prediction's response and how long the model itself took.
 *
 * @param inferenceMs the forward pass alone, in milliseconds (not decoding the request or writing the response)
 */
public record Prediction(JsonObject output, double inferenceMs) {}
