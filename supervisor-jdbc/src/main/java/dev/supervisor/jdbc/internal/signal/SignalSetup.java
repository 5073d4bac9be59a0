package dev.supervisor.jdbc.internal.signal;

import dev.supervisor.ChangeListener;
import dev.supervisor.Clock;
import dev.supervisor.jdbc.ConnectionFactory;
import dev.supervisor.jdbc.internal.table.TableQueries;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link ChangeSource} needs.
 *
 * @param queries the watched table's queries (pooled connections)
 * @param connections opens dedicated connections (PostgreSQL LISTEN)
 * @param clock times polls and reconnect delays
 * @param pollInterval how often H2 checks the table for changes
 * @param wakeups whether H2's trigger may wake the check at once when the change is made in this JVM
 * @param sink receives the stored key text of changed rows; must be fast and not throw
 */
public record SignalSetup(TableQueries queries, ConnectionFactory connections, Clock clock, Duration pollInterval,
                          boolean wakeups, ChangeListener<String> sink) {

    /** Checks that every part is present. */
    public SignalSetup {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(sink, "sink");
    }
}
