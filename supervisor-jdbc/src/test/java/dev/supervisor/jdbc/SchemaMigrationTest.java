package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class SchemaMigrationTest {

    @Test
    void migratingTwiceChangesNothingTheSecondTime() {
        try (H2Memory h2 = new H2Memory()) { // Database.connect migrated once already
            assertThat(SchemaMigration.migrate(h2.database.dataSource())).isZero();
            assertThat(h2.number("SELECT COUNT(*) FROM supervisor_schema_history")).isGreaterThanOrEqualTo(2);
            assertThat(h2.number("SELECT COUNT(*) FROM supervisor_processes")).isZero();
            assertThat(h2.number("SELECT COUNT(*) FROM supervisor_status")).isZero();
        }
    }

    /**
     * Regression: with four migrators released at once, one could create the empty history table
     * while another, finding the schema non-empty, tried to baseline it and failed ("Unable to
     * baseline ... already exists, and is empty"). And: two migrators of a fresh H2 database both
     * ran V1, because Flyway's H2 lock is a row lock on the (still empty) history table; the loser
     * recorded a failed V1 that broke every later start. Repeated, since the interleaving is a race.
     */
    @RepeatedTest(30)
    void severalMigratorsAtOnceAllSucceedAndApplyEachMigrationOnce() throws Exception {
        String url = "jdbc:h2:mem:" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        int migrators = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(migrators);
        List<Database> databases = new ArrayList<>();
        try {
            List<Future<Integer>> applied = new ArrayList<>();
            for (int i = 0; i < migrators; i++) {
                Database db = Database.builder(url).migrate(false).open();
                databases.add(db);
                applied.add(pool.submit(() -> {
                    go.await();
                    return SchemaMigration.migrate(db.dataSource(), Dialect.H2, null);
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> f : applied) {
                total += f.get();
            }
            assertThat(total).as("migrations applied across all migrators").isEqualTo(h2Migrations());
        } finally {
            pool.shutdownNow();
            databases.forEach(Database::close);
        }
    }

    @Test
    void migratesIntoANamedSchemaBesideOtherTables() throws Exception {
        try (H2Memory h2 = new H2Memory()) {
            h2.sql("CREATE TABLE unrelated (id INT)", "CREATE SCHEMA other", "CREATE TABLE other.mine (id INT)");
            assertThat(SchemaMigration.migrate(h2.database.dataSource(), "other")).isEqualTo(h2Migrations());
            assertThat(h2.number("SELECT COUNT(*) FROM other.supervisor_processes")).isZero();
            assertThat(SchemaMigration.migrate(h2.database.dataSource(), "other")).isZero();
        }
    }

    /**
     * An application with its own Flyway and its own scripts in Flyway's default
     * {@code db/migration} (this module's test resources hold one): each Flyway runs its own
     * scripts only, and each keeps its own history table.
     */
    @Test
    void coexistsWithTheApplicationsOwnFlywayAndDefaultLocation() {
        try (H2Memory h2 = new H2Memory()) { // the supervisor's schema is migrated already
            var applied = org.flywaydb.core.Flyway.configure().dataSource(h2.database.dataSource())
                    .baselineOnMigrate(true).baselineVersion("0").load().migrate();
            assertThat(applied.migrationsExecuted).as("the application's Flyway runs only its own script").isEqualTo(1);
            assertThat(h2.number("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" AND \"version\" = '1'"))
                    .isEqualTo(1);
            assertThat(h2.number("SELECT COUNT(*) FROM application_orders")).isZero();
            assertThat(SchemaMigration.migrate(h2.database.dataSource())).as("ours is still up to date").isZero();
        }
    }

    /** How many migrations H2 gets: the shipped common and h2 scripts, so a new migration needs no edit here. */
    /**
     * {@link SchemaMigration#LATEST_VERSION} is the newest script of every folder: a new migration
     * without it bumped would let one-shot tools skip a migration they need.
     */
    @Test
    void theLatestVersionIsTheNewestScript() throws Exception {
        org.flywaydb.core.api.MigrationVersion newest = null;
        for (String folder : java.util.List.of("common", "h2", "postgresql")) {
            java.net.URL url = SchemaMigration.class.getClassLoader().getResource("dev/supervisor/jdbc/migration/" + folder);
            try (var files = java.nio.file.Files.list(java.nio.file.Path.of(url.toURI()))) {
                for (String name : files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V.*__.*\\.sql")).toList()) {
                    var version = org.flywaydb.core.api.MigrationVersion.fromVersion(
                            name.substring(1, name.indexOf("__")).replace('_', '.'));
                    newest = newest == null || version.compareTo(newest) > 0 ? version : newest;
                }
            }
        }
        assertThat(newest.getVersion()).isEqualTo(SchemaMigration.LATEST_VERSION);
    }

    @Test
    void theAppliedVersionIsReadWithoutFlywayAndIsEmptyBeforeTheFirstMigration() throws Exception {
        String url = "jdbc:h2:mem:" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (java.sql.Connection fresh = Database.builder(url).openConnection()) {
            assertThat(SchemaMigration.appliedVersion(fresh)).as("never migrated").isEmpty();
            try (Database migrated = Database.connect(url)) {
                assertThat(SchemaMigration.appliedVersion(fresh)).contains(SchemaMigration.LATEST_VERSION);
                assertThat(SchemaMigration.isCurrent(SchemaMigration.appliedVersion(fresh).orElseThrow())).isTrue();
            }
            assertThat(SchemaMigration.isCurrent("4.5")).as("an older schema").isFalse();
            assertThat(SchemaMigration.isCurrent("99")).as("a newer one").isTrue();
        }
    }

    private static int h2Migrations() throws Exception {
        int count = 0;
        for (String folder : java.util.List.of("dev/supervisor/jdbc/migration/common", "dev/supervisor/jdbc/migration/h2")) {
            java.net.URL url = SchemaMigration.class.getClassLoader().getResource(folder);
            try (var files = java.nio.file.Files.list(java.nio.file.Path.of(url.toURI()))) {
                count += (int) files.filter(f -> f.getFileName().toString().matches("V.*__.*\\.sql")).count();
            }
        }
        return count;
    }
}
