package dev.supervisor.spring.boot;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code supervisor.*} properties. What they do not cover (restart policy, listeners, start
 * timeout, ...) a {@link SupervisorBuilderCustomizer} bean sets. The defaults are the library's
 * ({@code JdbcTable.DEFAULT_TABLE}, {@code Supervisor.DEFAULT_RECONCILE_INTERVAL},
 * {@code Supervisor.DEFAULT_STOP_TIMEOUT}), written as literals so that the generated metadata shows them.
 */
@ConfigurationProperties("supervisor")
public class SupervisorProperties {

    /** Whether to define the supervisor and its table at all. */
    private boolean enabled = true;

    /** Whether to apply the library's migrations (tables supervisor_processes, supervisor_status, ...) to the DataSource at startup. */
    private boolean migrate = true;

    /** The desired-state table, optionally schema-qualified. */
    private String table = "supervisor_processes"; // JdbcTable.DEFAULT_TABLE, literal for the metadata

    /** The supervisor's name: in its log lines, thread names and the "name" tag of its meters. */
    private String name = "supervisor";

    /** This node's name: in the status table's node column, the cluster's leases, the endpoint and the page. Default: pid@host. */
    private String node;

    /** Period of full reconcile passes (changes to the table are picked up at once regardless). */
    private Duration reconcileInterval = Duration.ofSeconds(60); // Supervisor.DEFAULT_RECONCILE_INTERVAL

    /** Grace between asking a process to stop and interrupting it. */
    private Duration stopTimeout = Duration.ofSeconds(15); // Supervisor.DEFAULT_STOP_TIMEOUT

    private final Status status = new Status();

    private final Cluster cluster = new Cluster();

    private final Web web = new Web();

    private final Observations observations = new Observations();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isMigrate() {
        return migrate;
    }

    public void setMigrate(boolean migrate) {
        this.migrate = migrate;
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
    }

    public Duration getReconcileInterval() {
        return reconcileInterval;
    }

    public void setReconcileInterval(Duration reconcileInterval) {
        this.reconcileInterval = reconcileInterval;
    }

    public Duration getStopTimeout() {
        return stopTimeout;
    }

    public void setStopTimeout(Duration stopTimeout) {
        this.stopTimeout = stopTimeout;
    }

    public Status getStatus() {
        return status;
    }

    public Cluster getCluster() {
        return cluster;
    }

    public Web getWeb() {
        return web;
    }

    public Observations getObservations() {
        return observations;
    }

    /** The {@code supervisor.status.*} properties. */
    public static class Status {

        /** Whether to write each key's observed state to the supervisor_status table (a StatusWriter). */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** The {@code supervisor.cluster.*} properties. */
    public static class Cluster {

        /** Whether several nodes share the table, each key running on the node holding its lease (LeaseOwnership). */
        private boolean enabled = false;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** The {@code supervisor.web.*} properties. */
    public static class Web {

        /** Whether to serve the status page, on the application's own server and behind its security. */
        private boolean enabled = false;

        /** Where the status page is: the page at PATH/, its API at PATH/api/processes. */
        private String path = "/supervisor";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }
    }

    /** The {@code supervisor.observations.*} properties. */
    public static class Observations {

        /** Whether to observe each attempt and each reconcile pass (Micrometer Observations: timers, and spans when tracing is on). */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
