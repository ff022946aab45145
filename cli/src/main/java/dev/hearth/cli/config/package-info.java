/**
 * Where the CLI sends requests and as whom: the properties file ({@code $HEARTH_CONFIG}, else
 * {@code ~/.hearth/config}) with {@code APIHOST}, {@code AUTH} and {@code NAMESPACE}, overridden by
 * {@code --apihost} and {@code --auth}; and the {@code property get|set} commands over that file.
 */
package dev.hearth.cli.config;
