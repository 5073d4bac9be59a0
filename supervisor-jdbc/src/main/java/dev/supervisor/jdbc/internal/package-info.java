/**
 * The JDBC machinery behind {@code dev.supervisor.jdbc}: dialects, the keyset cursor, change
 * signals and the status batch writer. Public only so the other modules of this project can reach
 * it; these classes have no compatibility guarantees and may change in any release.
 */
package dev.supervisor.jdbc.internal;
