package dev.supervisor.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.supervisor.Supervisor;
import dev.supervisor.jdbc.H2ChangeTrigger;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.LeaseOwnership;
import dev.supervisor.jdbc.StatusWriter;
import dev.supervisor.quarkus.SupervisorSchema;
import dev.supervisor.quarkus.deployment.Workers.Worker;
import dev.supervisor.testsupport.Waits;
import io.agroal.api.AgroalDataSource;
import io.quarkus.builder.BuildContext;
import io.quarkus.builder.BuildStep;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension in an application with one RowDecoder bean, on an H2 file: the beans it defines
 * and their exact types, launch after start-up, listener and customizer beans, what a native image
 * would be given, and, after the application stopped, that the supervisor was closed while the
 * datasource was still open (the status writer's last statuses reached the database).
 */
class SupervisorExtensionTest {

    private static final Path DB = createTempDir();
    private static final String URL = "jdbc:h2:file:" + DB.resolve("db") + ";AUTO_SERVER=TRUE";
    private static final Duration WAIT = Waits.DATABASE;

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Workers.class, Worker.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", URL)
            .overrideConfigKey("quarkus.supervisor.reconcile-interval", "1h")
            .addBuildChainCustomizer(chain -> chain.addBuildStep(new NativeItems())
                    .consumes(NativeImageResourceBuildItem.class).consumes(ReflectiveClassBuildItem.class)
                    .produces(FeatureBuildItem.class).build())
            .setAfterAllCustomizer(SupervisorExtensionTest::everyStatusWasWrittenStoppedBeforeTheDataSourceClosed);

    @Inject
    Supervisor<String, Worker> supervisor;
    @Inject
    JdbcTable<String, Worker> table;
    @Inject
    Instance<StatusWriter<String>> statusWriter;
    @Inject
    Instance<LeaseOwnership<String>> leaseOwnership;
    @Inject
    SupervisorSchema schema;
    @Inject
    Workers workers;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void theBeansAreTypedWithTheDecodersProcessTypeAndTheSupervisorIsLaunched() {
        assertThat(supervisor.isLaunched()).as("launched after start-up").isTrue();
        assertThat(supervisor.name()).isEqualTo("supervisor");
        assertThat(table.table().toString()).isEqualTo(JdbcTable.DEFAULT_TABLE);
        assertThat(statusWriter.isResolvable()).isTrue();
        assertThat(leaseOwnership.isUnsatisfied()).as("cluster mode is off by default").isTrue();
        assertThat(schema.migrationsApplied()).isPositive();
    }

    @Test
    void rowsInsertedWithSqlRunAndListenerAndCustomizerBeansHearThePasses() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO supervisor_processes (name, payload) VALUES ('a', '{}'), ('b', '{}')");
        }
        await().atMost(WAIT).until(() -> workers.running().containsAll(java.util.Set.of("a", "b")));
        await().atMost(WAIT).until(() -> !workers.passesHeardByBean.isEmpty() && !workers.passesHeardByCustomizer.isEmpty());
    }

    @Test
    void aNativeImageWouldBeGivenTheMigrationScriptsAndTheH2Trigger() {
        assertThat(System.getProperty(NativeItems.RESOURCES).split(",")).as("the scripts of supervisor-jdbc")
                .contains("dev/supervisor/jdbc/migration/common/V1__supervisor_tables.sql",
                        "dev/supervisor/jdbc/migration/h2/V1_1__revision.sql",
                        "dev/supervisor/jdbc/migration/postgresql/V6__notify_per_statement.sql")
                .allMatch(script -> script.endsWith(".sql"));
        assertThat(System.getProperty(NativeItems.REFLECTION)).contains(H2ChangeTrigger.class.getName());
    }

    /** After the application stopped: the workers' last statuses are STOPPED in supervisor_status. */
    static void everyStatusWasWrittenStoppedBeforeTheDataSourceClosed() {
        Map<String, String> states = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(URL); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT name, state FROM supervisor_status")) {
            while (rs.next()) {
                states.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        if (!states.equals(Map.of("a", "STOPPED", "b", "STOPPED"))) {
            throw new AssertionError("expected the status writer to have written a and b STOPPED while the datasource"
                    + " was open, found " + states);
        }
    }

    /** Records what the build gives a native image, as system properties the test reads. */
    static final class NativeItems implements BuildStep {
        static final String RESOURCES = "supervisor.test.native.resources";
        static final String REFLECTION = "supervisor.test.native.reflection";

        @Override
        public void execute(BuildContext context) {
            TreeSet<String> resources = new TreeSet<>();
            context.consumeMulti(NativeImageResourceBuildItem.class).stream()
                    .flatMap(item -> item.getResources().stream()).filter(r -> r.startsWith("dev/supervisor/jdbc/migration/"))
                    .forEach(resources::add);
            TreeSet<String> reflection = new TreeSet<>();
            context.consumeMulti(ReflectiveClassBuildItem.class).forEach(item -> reflection.addAll(item.getClassNames()));
            System.setProperty(RESOURCES, String.join(",", resources));
            System.setProperty(REFLECTION, String.join(",", reflection));
            context.produce(new FeatureBuildItem("supervisor-test-native-items"));
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("supervisor-quarkus-test");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
