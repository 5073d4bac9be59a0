package dev.supervisor.tests.cluster;

import dev.supervisor.tests.jdbc.MariaDbDatabaseExtension;
import dev.supervisor.tests.jdbc.ServerDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ClusterHistoryScenario} on MariaDB. Without {@code performance_schema} MariaDB shows a
 * session's user but not its program name, so each in-JVM node logs in as a user of its own
 * (created for this run with the privileges on this class's database only, dropped afterwards),
 * and its sessions are ended with {@code KILL CONNECTION} by that user.
 */
class MariaDbClusterHistoryTest extends ClusterHistoryScenario {

    @RegisterExtension
    static final MariaDbDatabaseExtension MARIADB = new MariaDbDatabaseExtension();

    private static final String PASSWORD = "pw-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private static final String PREFIX = "svh" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000)) + "_";
    private static final List<String> USERS = new ArrayList<>();

    @AfterAll
    static void dropUsers() {
        for (String user : USERS) {
            MARIADB.sql("DROP USER IF EXISTS '" + user + "'@'%'");
        }
    }

    @Override
    ServerDatabase db() {
        return MARIADB;
    }

    @Override
    String nodeUrl(String name) {
        String user = PREFIX + name;
        MARIADB.sql("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT ALL PRIVILEGES ON " + MARIADB.schema() + ".* TO '" + user + "'@'%'");
        USERS.add(user);
        String url = MARIADB.url();
        String base = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        return base.substring(0, base.lastIndexOf('/') + 1) + MARIADB.schema() + "?user=" + user + "&password=" + PASSWORD;
    }

    @Override
    void endSessions(ClusterNode node) {
        for (String id : MARIADB.strings("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '" + PREFIX + node.name
                + "'")) {
            try {
                MARIADB.sql("KILL CONNECTION " + id);
            } catch (AssertionError gone) {
                // the session ended meanwhile
            }
        }
    }

    @Override
    String freezesTable() {
        return "CREATE TABLE IF NOT EXISTS cluster_freezes (node VARCHAR(300) NOT NULL,"
                + " frozen_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), thawed_at TIMESTAMP(6) NULL DEFAULT NULL)";
    }
}
