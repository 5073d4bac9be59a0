/**
 * Change signals (internal, no compatibility guarantees): the change sources (PostgreSQL LISTEN,
 * H2's polls, change-log checks and wakeups), the hub that fans them out to subscribers, and the
 * bookkeeping of changed rows and a table's own deletes.
 */
package dev.supervisor.jdbc.internal.signal;
