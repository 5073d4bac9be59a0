package dev.supervisor.tests.cluster;

import dev.supervisor.tests.jdbc.MariaDbDatabaseExtension;
import dev.supervisor.tests.jdbc.ServerDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link FrozenNodeScenario} on MariaDB: the server ends a frozen fenced transaction's session by
 * {@code idle_transaction_timeout} (and {@code wait_timeout}), which the fence sets for it. Only the
 * frozen node makes fenced writes, so its transactions are the ones of this database that write
 * {@code fenced_writes}: running ones show in the process list, idle ones in InnoDB's
 * transactions with locks and no statement.
 */
class MariaDbFrozenNodeTest extends FrozenNodeScenario {

    @RegisterExtension
    static final MariaDbDatabaseExtension MARIADB = new MariaDbDatabaseExtension();

    @Override
    ServerDatabase db() {
        return MARIADB;
    }

    @Override
    long runningWork() {
        return MARIADB.number("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '" + MARIADB.schema() + "'"
                + " AND ID <> CONNECTION_ID() AND COMMAND = 'Query' AND (INFO LIKE '%fenced_writes%'"
                + " OR INFO LIKE '%LOCK IN SHARE MODE%')");
    }

    @Override
    long idleWork() {
        return MARIADB.number("SELECT COUNT(*) FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p"
                + " ON p.ID = t.trx_mysql_thread_id WHERE p.DB = '" + MARIADB.schema() + "' AND p.COMMAND = 'Sleep'"
                + " AND t.trx_query IS NULL AND t.trx_rows_locked > 0");
    }

    @Override
    String databaseNow() {
        return HistoryCheck.text(MARIADB, "SELECT CAST(CURRENT_TIMESTAMP(6) AS CHAR)");
    }
}
