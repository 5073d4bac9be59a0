/**
 * The SQL of the desired-state and status tables (internal, no compatibility guarantees): every
 * table query, the keyset cursor and scan, stored rows and their decoding, option checks, and SQL
 * text made from checked identifiers only.
 */
package dev.supervisor.jdbc.internal.table;
