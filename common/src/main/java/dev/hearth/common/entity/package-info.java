/** Entity records in OpenWhisk's JSON shapes: activation records, limits, key-value lists. */
package dev.hearth.common.entity;
