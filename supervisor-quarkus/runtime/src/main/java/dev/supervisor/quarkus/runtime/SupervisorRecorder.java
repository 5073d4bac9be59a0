package dev.supervisor.quarkus.runtime;

import dev.supervisor.Ownership;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.SupervisorListener;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.LeaseOwnership;
import dev.supervisor.jdbc.RowDecoder;
import dev.supervisor.jdbc.SchemaMigration;
import dev.supervisor.jdbc.StatusWriter;
import dev.supervisor.micrometer.JdbcMetrics;
import dev.supervisor.micrometer.SupervisorMetrics;
import dev.supervisor.quarkus.SupervisorBuilderCustomizer;
import dev.supervisor.quarkus.SupervisorSchema;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.agroal.runtime.AgroalDataSourceUtil;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.arc.SyntheticCreationalContext;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.annotations.Recorder;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.util.TypeLiteral;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Creates the extension's beans at run time. The build steps decided which beans exist and checked
 * that their dependencies do (one {@code RowDecoder<String, ? extends Runner>}, the datasource); the
 * beans find each other here by type, with wildcards, so that an application's own
 * {@code JdbcTable}, {@code StatusWriter} or {@code Ownership} bean is used in place of the
 * extension's (which the build steps then did not define).
 */
@Recorder
public class SupervisorRecorder {

    private static final TypeLiteral<RowDecoder<String, ? extends Runner>> DECODER = new TypeLiteral<>() { };
    private static final TypeLiteral<JdbcTable<String, ?>> TABLE = new TypeLiteral<>() { };
    private static final TypeLiteral<StatusWriter<String>> STATUS_WRITER = new TypeLiteral<>() { };
    private static final TypeLiteral<Ownership<String>> OWNERSHIP = new TypeLiteral<>() { };
    private static final TypeLiteral<SupervisorListener<?>> LISTENER = new TypeLiteral<>() { };

    private final RuntimeValue<SupervisorConfig> config;

    public SupervisorRecorder(RuntimeValue<SupervisorConfig> config) {
        this.config = config;
    }

    /** The schema: the library's migrations applied to the datasource (unless {@code migrate=false}). */
    public Function<SyntheticCreationalContext<SupervisorSchema>, SupervisorSchema> schema(String dataSourceName) {
        return context -> new SupervisorSchema(
                config.getValue().migrate() ? SchemaMigration.migrate(dataSource(dataSourceName)) : 0);
    }

    /** The table {@code quarkus.supervisor.table} on the datasource, decoding rows with the application's decoder. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Function<SyntheticCreationalContext<JdbcTable<String, ?>>, JdbcTable<String, ?>> table(String dataSourceName) {
        return context -> {
            context.getInjectedReference(SupervisorSchema.class);
            DataSource dataSource = dataSource(dataSourceName);
            RowDecoder<String, Runner> decoder = (RowDecoder) Arc.container().select(DECODER, Any.Literal.INSTANCE).get();
            JdbcTable.Builder<String, Runner> builder = JdbcTable.builder(dataSource, decoder).table(config.getValue().table());
            if (dataSource instanceof AgroalDataSource agroal) {
                // as the library does for a HikariCP pool: no more statements at once than the pool has connections
                builder.maxConcurrentStatements(Math.max(1, agroal.getConfiguration().connectionPoolConfiguration().maxSize()));
            }
            return builder.build();
        };
    }

    /** The status write-back on the datasource. */
    public Function<SyntheticCreationalContext<StatusWriter<String>>, StatusWriter<String>> statusWriter(String dataSourceName) {
        return context -> {
            context.getInjectedReference(SupervisorSchema.class);
            return StatusWriter.<String>builder(dataSource(dataSourceName)).build();
        };
    }

    /** Cluster mode: leases on the table. Not closed as a bean: the supervisor opens and closes its ownership. */
    public Function<SyntheticCreationalContext<LeaseOwnership<String>>, LeaseOwnership<String>> leaseOwnership() {
        return context -> LeaseOwnership.builder(Arc.container().select(TABLE, Any.Literal.INSTANCE).get()).build();
    }

    /** The listener that feeds the meters, bound to the application's registry before the supervisor is built. */
    public Function<SyntheticCreationalContext<SupervisorMetrics>, SupervisorMetrics> supervisorMetrics() {
        return context -> {
            SupervisorMetrics metrics = new SupervisorMetrics(config.getValue().name());
            metrics.bindTo(context.getInjectedReference(MeterRegistry.class));
            return metrics;
        };
    }

    /** The table's and the status writer's meters, bound to the application's registry. */
    public Function<SyntheticCreationalContext<JdbcMetrics>, JdbcMetrics> jdbcMetrics() {
        return context -> {
            String name = config.getValue().name();
            JdbcTable<String, ?> table = Arc.container().select(TABLE, Any.Literal.INSTANCE).get();
            InjectableInstance<StatusWriter<String>> status = Arc.container().select(STATUS_WRITER, Any.Literal.INSTANCE);
            JdbcMetrics metrics = status.isResolvable() ? new JdbcMetrics(name, table, status.get())
                    : new JdbcMetrics(name, table);
            metrics.bindTo(context.getInjectedReference(MeterRegistry.class));
            return metrics;
        };
    }

    /**
     * The supervisor: on the table, named and timed by the properties, with every
     * {@link SupervisorListener} bean (the status writer and the meters are such beans), the
     * {@link Ownership} bean if there is one, then every {@link SupervisorBuilderCustomizer}.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Function<SyntheticCreationalContext<Supervisor<String, ?>>, Supervisor<String, ?>> supervisor() {
        return context -> {
            SupervisorConfig properties = config.getValue();
            JdbcTable table = Arc.container().select(TABLE, Any.Literal.INSTANCE).get();
            Supervisor.Builder<String, ?> builder = Supervisor.builder(table).name(properties.name())
                    .reconcileInterval(properties.reconcileInterval()).stopTimeout(properties.stopTimeout());
            InjectableInstance<Ownership<String>> ownership = Arc.container().select(OWNERSHIP, Any.Literal.INSTANCE);
            if (ownership.isResolvable()) {
                builder.ownership(ownership.get());
            }
            for (SupervisorListener listener : Arc.container().select(LISTENER, Any.Literal.INSTANCE)) {
                builder.listener(listener);
            }
            for (SupervisorBuilderCustomizer customizer
                    : Arc.container().select(SupervisorBuilderCustomizer.class, Any.Literal.INSTANCE)) {
                customizer.customize((Supervisor.Builder) builder);
            }
            return builder.build();
        };
    }

    private static DataSource dataSource(String name) {
        return AgroalDataSourceUtil.dataSourceInstance(name).get();
    }
}
