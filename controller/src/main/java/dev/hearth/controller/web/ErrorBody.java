package dev.hearth.controller.web;

/** OpenWhisk's error body: {@code {"error": "...", "code": "<transaction id>"}}. */
public record ErrorBody(String error, String code) {}
