/**
 * The simulator: a deterministic, trace-driven discrete-event simulation of a cluster of invokers
 * (memory, cores, containers by state, cold-start costs by start kind, the tensor store's shared
 * weights) that runs every policy on the same traces and the same costs. Traces are generated with a
 * fixed seed ({@link dev.hearth.scheduler.sim.TraceGenerator}) or read and written in the Azure
 * Functions 2019 CSV schema ({@link dev.hearth.scheduler.sim.AzureTraceCsv}); {@link
 * dev.hearth.scheduler.sim.SimulateMain} runs the whole set and writes a markdown table and SVG charts.
 */
package dev.hearth.scheduler.sim;
