/**
 * The scheduler service: today it meters the platform's activity from the {@code events} topic;
 * autoscaling policies, forecasting and the simulator arrive with their issue.
 */
package dev.hearth.scheduler;
