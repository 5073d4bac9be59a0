package dev.supervisor.tests.cluster;

import dev.supervisor.tests.jdbc.PostgresDatabaseExtension;
import dev.supervisor.tests.jdbc.ServerDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link FrozenNodeScenario} on PostgreSQL: the server ends a frozen fenced transaction's session
 * by {@code idle_in_transaction_session_timeout}.
 */
class FrozenNodeTest extends FrozenNodeScenario {

    @RegisterExtension
    static final PostgresDatabaseExtension POSTGRES = new PostgresDatabaseExtension();

    @Override
    ServerDatabase db() {
        return POSTGRES;
    }

    @Override
    long runningWork() {
        return POSTGRES.number("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'frozen-work' AND state = 'active'");
    }

    @Override
    long idleWork() {
        return POSTGRES.number("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'frozen-work'"
                + " AND state = 'idle in transaction'");
    }

    @Override
    String databaseNow() {
        return HistoryCheck.text(POSTGRES, "SELECT clock_timestamp()::text");
    }
}
