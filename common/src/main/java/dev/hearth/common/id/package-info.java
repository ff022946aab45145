/** Validated ids and names: activation, transaction, entity names, fully qualified names. */
package dev.hearth.common.id;
