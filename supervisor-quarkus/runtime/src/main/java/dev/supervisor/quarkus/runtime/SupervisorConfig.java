package dev.supervisor.quarkus.runtime;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The supervisor's run-time configuration, {@code quarkus.supervisor.*}: the same properties as the
 * Spring Boot starter's {@code supervisor.*}, with the library's defaults.
 */
@ConfigMapping(prefix = "quarkus.supervisor")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface SupervisorConfig {

    /**
     * Whether to apply the library's migrations (tables `supervisor_processes`, `supervisor_status`, ...) to the
     * datasource at start-up, after the application's own Flyway migrations.
     */
    @WithDefault("true")
    boolean migrate();

    /**
     * The desired-state table, optionally schema-qualified.
     */
    @WithDefault("supervisor_processes") // JdbcTable.DEFAULT_TABLE
    String table();

    /**
     * The supervisor's name: in its log lines, thread names and the `name` tag of its meters.
     */
    @WithDefault("supervisor")
    String name();

    /**
     * Period of full reconcile passes (changes to the table are picked up at once regardless).
     */
    @WithDefault("60s") // Supervisor.DEFAULT_RECONCILE_INTERVAL
    Duration reconcileInterval();

    /**
     * Grace between asking a process to stop and interrupting it.
     */
    @WithDefault("15s") // Supervisor.DEFAULT_STOP_TIMEOUT
    Duration stopTimeout();
}
