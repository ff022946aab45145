/**
 * {@code hearth activation list|get|result|logs|poll}: activation records under
 * {@code /api/v1/namespaces/{ns}/activations}. {@link dev.hearth.cli.activation.ActivationTable}
 * formats the list as wsk does and is a pure function of the records and a time zone.
 */
package dev.hearth.cli.activation;
