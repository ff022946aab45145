/**
 * The scheduler service: it meters the platform's activity from the {@code events} topic and runs the
 * live loop ({@code live}); the policies ({@code policy}), their models ({@code forecast}, {@code
 * latency}) and the simulator ({@code sim}) are pure and need no service around them.
 */
package dev.hearth.scheduler;
