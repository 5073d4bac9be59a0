package dev.supervisor.quarkus.runtime;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * What decides, at build time, which beans the extension defines: these are fixed when the
 * application is built (Quarkus warns when one is set to something else at run time).
 */
@ConfigMapping(prefix = "quarkus.supervisor")
@ConfigRoot(phase = ConfigPhase.BUILD_AND_RUN_TIME_FIXED)
public interface SupervisorBuildTimeConfig {

    /**
     * Whether to define the supervisor and its table at all.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The name of the Agroal datasource that holds the table; the default datasource when not set.
     */
    Optional<String> datasource();

    /**
     * Status write-back.
     */
    Status status();

    /**
     * Cluster mode.
     */
    Cluster cluster();

    /**
     * The `supervisor` readiness check.
     */
    Health health();

    /**
     * The Micrometer meters.
     */
    Metrics metrics();

    /** {@code quarkus.supervisor.status.*} */
    interface Status {
        /**
         * Whether to write each key's observed state to the `supervisor_status` table (a `StatusWriter`).
         */
        @WithDefault("true")
        boolean enabled();
    }

    /** {@code quarkus.supervisor.cluster.*} */
    interface Cluster {
        /**
         * Whether several nodes share the table, each key running on the node holding its lease (`LeaseOwnership`).
         */
        @WithDefault("false")
        boolean enabled();
    }

    /** {@code quarkus.supervisor.health.*} */
    interface Health {
        /**
         * Whether to register the `supervisor` readiness check when the application has `quarkus-smallrye-health`.
         */
        @WithDefault("true")
        boolean enabled();
    }

    /** {@code quarkus.supervisor.metrics.*} */
    interface Metrics {
        /**
         * Whether to register the supervisor's meters when the application has `quarkus-micrometer`.
         */
        @WithDefault("true")
        boolean enabled();
    }
}
