package dev.supervisor.quarkus.deployment;

import dev.supervisor.Ownership;
import dev.supervisor.Runner;
import dev.supervisor.Supervisor;
import dev.supervisor.SupervisorListener;
import dev.supervisor.jdbc.H2ChangeTrigger;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.LeaseOwnership;
import dev.supervisor.jdbc.RowDecoder;
import dev.supervisor.jdbc.SchemaMigration;
import dev.supervisor.jdbc.StatusWriter;
import dev.supervisor.micrometer.JdbcMetrics;
import dev.supervisor.micrometer.SupervisorMetrics;
import dev.supervisor.quarkus.SupervisorBuilderCustomizer;
import dev.supervisor.quarkus.SupervisorHealthCheck;
import dev.supervisor.quarkus.SupervisorSchema;
import dev.supervisor.quarkus.runtime.SupervisorBuildTimeConfig;
import dev.supervisor.quarkus.runtime.SupervisorLifecycle;
import dev.supervisor.quarkus.runtime.SupervisorHealthRecorder;
import dev.supervisor.quarkus.runtime.SupervisorRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.agroal.spi.JdbcDataSourceBuildItem;
import io.quarkus.arc.BeanDestroyer;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.BeanRegistrationPhaseBuildItem;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.arc.deployment.UnremovableBeanBuildItem;
import io.quarkus.arc.processor.BeanInfo;
import io.quarkus.bootstrap.classloading.QuarkusClassLoader;
import io.quarkus.builder.item.SimpleBuildItem;
import io.quarkus.datasource.common.runtime.DataSourceUtil;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.BuildSteps;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.deployment.metrics.MetricsCapabilityBuildItem;
import io.quarkus.runtime.metrics.MetricsFactory;
import io.quarkus.runtime.util.ClassPathUtils;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.jandex.ClassType;
import org.jboss.jandex.DotName;
import org.jboss.jandex.ParameterizedType;
import org.jboss.jandex.Type;
import org.jboss.jandex.WildcardType;
import org.jboss.logging.Logger;

/**
 * The supervisor's build steps. What the build can decide, it decides: whether the application has
 * a {@code RowDecoder<String, ? extends Runner>} bean (none: no supervisor, and a warning; two: the
 * build fails naming them), its process type (so the beans are typed exactly, e.g.
 * {@code Supervisor<String, Worker>}), the datasource, which beans the application defines itself
 * (those win), whether there is a health or a metrics extension, and what a native image must
 * include (the migration scripts, the H2 trigger class).
 */
@BuildSteps(onlyIf = SupervisorProcessor.Enabled.class)
class SupervisorProcessor {

    static final String FEATURE = "supervisor";

    private static final Logger LOG = Logger.getLogger(SupervisorProcessor.class);

    private static final DotName ROW_DECODER = DotName.createSimple(RowDecoder.class);
    private static final DotName RUNNER = DotName.createSimple(Runner.class);
    private static final DotName STRING = DotName.createSimple(String.class);
    private static final Type STRING_TYPE = ClassType.create(STRING);
    /** SmallRye Health's types, by name: the application may not have it. */
    private static final DotName READINESS = DotName.createSimple("org.eclipse.microprofile.health.Readiness");
    private static final DotName HEALTH_CHECK = DotName.createSimple("org.eclipse.microprofile.health.HealthCheck");
    /** Where the library's scripts are, as a class path directory. */
    static final String MIGRATIONS = SchemaMigration.LOCATION.substring("classpath:".length());

    /** The extension's switch, {@code quarkus.supervisor.enabled}. */
    static final class Enabled implements BooleanSupplier {
        private final SupervisorBuildTimeConfig config;

        Enabled(SupervisorBuildTimeConfig config) {
            this.config = config;
        }

        @Override
        public boolean getAsBoolean() {
            return config.enabled();
        }
    }

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep
    void lifecycle(BuildProducer<AdditionalBeanBuildItem> beans, BuildProducer<UnremovableBeanBuildItem> unremovable) {
        beans.produce(AdditionalBeanBuildItem.unremovableOf(SupervisorLifecycle.class));
        // found by type at run time (SupervisorRecorder), not by injection, so ArC must not remove them
        unremovable.produce(UnremovableBeanBuildItem.beanTypes(RowDecoder.class, SupervisorListener.class,
                SupervisorBuilderCustomizer.class, Ownership.class, JdbcTable.class, StatusWriter.class, Supervisor.class));
    }

    /**
     * What a native image needs that the library finds by name at run time: the migration scripts
     * (Flyway reads them as class path resources) and the H2 trigger, which H2 instantiates by its
     * class name. JVM mode needs neither; the test checks both are produced.
     */
    @BuildStep
    void nativeImage(BuildProducer<NativeImageResourceBuildItem> resources, BuildProducer<ReflectiveClassBuildItem> reflection) {
        resources.produce(new NativeImageResourceBuildItem(migrationScripts()));
        reflection.produce(ReflectiveClassBuildItem.builder(H2ChangeTrigger.class).constructors().build());
    }

    /** Every migration script shipped in supervisor-jdbc, as class path resource names. */
    static List<String> migrationScripts() {
        TreeSet<String> scripts = new TreeSet<>();
        try {
            ClassPathUtils.consumeAsPaths(SupervisorProcessor.class.getClassLoader(), MIGRATIONS, root -> {
                try (Stream<Path> files = Files.walk(root)) {
                    files.filter(Files::isRegularFile).map(file -> MIGRATIONS + "/" + root.relativize(file).toString()
                            .replace('\\', '/')).forEach(scripts::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the supervisor's migrations under " + MIGRATIONS, e);
        }
        if (scripts.isEmpty()) {
            throw new IllegalStateException("no migration scripts found under " + MIGRATIONS + " (is supervisor-jdbc on the class path?)");
        }
        return new ArrayList<>(scripts);
    }

    /**
     * The beans, once the application's own are known: schema, table, status writer, lease
     * ownership, meters, supervisor and readiness check, each unless the application defines one of
     * that type, and each only if there is exactly one row decoder and the datasource exists.
     */
    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void beans(SupervisorRecorder recorder, SupervisorBuildTimeConfig config, BeanRegistrationPhaseBuildItem registration,
            List<JdbcDataSourceBuildItem> dataSources,
            Optional<MetricsCapabilityBuildItem> metricsCapability, BuildProducer<SyntheticBeanBuildItem> beans,
            BuildProducer<SupervisorDefinedBuildItem> defined) {
        Optional<Type> runner = runnerType(registration);
        if (runner.isEmpty()) {
            return;
        }
        String dataSource = config.datasource().orElse(DataSourceUtil.DEFAULT_DATASOURCE_NAME);
        if (dataSources.stream().noneMatch(item -> item.getName().equals(dataSource))) {
            if (config.datasource().isPresent()) {
                throw new IllegalStateException("quarkus.supervisor.datasource=" + dataSource + " names no JDBC datasource; the"
                        + " application has " + dataSources.stream().map(JdbcDataSourceBuildItem::getName).toList());
            }
            LOG.warn("The supervisor extension found no default JDBC datasource (quarkus.datasource.db-kind and a"
                    + " quarkus-jdbc-* extension), so it defines no supervisor; name another with quarkus.supervisor.datasource");
            return;
        }
        Type table = ParameterizedType.create(JdbcTable.class, STRING_TYPE, runner.get());
        Type statusWriter = ParameterizedType.create(StatusWriter.class, STRING_TYPE);

        beans.produce(SyntheticBeanBuildItem.configure(SupervisorSchema.class).scope(Singleton.class).setRuntimeInit()
                .unremovable().createWith(recorder.schema(dataSource)).done());
        if (!hasBeanOf(registration, JdbcTable.class)) {
            beans.produce(SyntheticBeanBuildItem.configure(JdbcTable.class).scope(Singleton.class).setRuntimeInit().unremovable()
                    .types(table, ParameterizedType.create(dev.supervisor.Table.class, STRING_TYPE, runner.get()))
                    .addInjectionPoint(ClassType.create(SupervisorSchema.class))
                    .destroyer(BeanDestroyer.AutoCloseableDestroyer.class)
                    .createWith(recorder.table(dataSource)).done());
        }
        if (config.status().enabled() && !hasBeanOf(registration, StatusWriter.class)) {
            beans.produce(SyntheticBeanBuildItem.configure(StatusWriter.class).scope(Singleton.class).setRuntimeInit().unremovable()
                    .types(statusWriter, ParameterizedType.create(SupervisorListener.class, STRING_TYPE))
                    .addInjectionPoint(ClassType.create(SupervisorSchema.class))
                    .destroyer(BeanDestroyer.AutoCloseableDestroyer.class)
                    .createWith(recorder.statusWriter(dataSource)).done());
        }
        if (config.cluster().enabled() && !hasBeanOf(registration, Ownership.class)) {
            beans.produce(SyntheticBeanBuildItem.configure(LeaseOwnership.class).scope(Singleton.class).setRuntimeInit()
                    .unremovable().types(ParameterizedType.create(LeaseOwnership.class, STRING_TYPE),
                            ParameterizedType.create(Ownership.class, STRING_TYPE))
                    .createWith(recorder.leaseOwnership()).done());
        }
        boolean micrometer = config.metrics().enabled()
                && metricsCapability.map(m -> m.metricsSupported(MetricsFactory.MICROMETER)).orElse(false);
        if (micrometer) {
            // not typed MeterBinder: Quarkus would bind those early, before the application's Flyway ran
            beans.produce(SyntheticBeanBuildItem.configure(SupervisorMetrics.class).scope(Singleton.class).setRuntimeInit()
                    .unremovable().types(ClassType.create(SupervisorMetrics.class),
                            ParameterizedType.create(SupervisorListener.class, ClassType.create(Object.class)))
                    .addInjectionPoint(ClassType.create(MeterRegistry.class))
                    .createWith(recorder.supervisorMetrics()).done());
            beans.produce(SyntheticBeanBuildItem.configure(JdbcMetrics.class).scope(Singleton.class).setRuntimeInit()
                    .unremovable().types(ClassType.create(JdbcMetrics.class))
                    .addInjectionPoint(ClassType.create(MeterRegistry.class))
                    .startup(SupervisorLifecycle.LAUNCH_PRIORITY - 1) // just before the launch, after the application's Flyway
                    .createWith(recorder.jdbcMetrics()).done());
        }
        if (!hasBeanOf(registration, Supervisor.class)) {
            beans.produce(SyntheticBeanBuildItem.configure(Supervisor.class).scope(Singleton.class).setRuntimeInit().unremovable()
                    .types(ParameterizedType.create(Supervisor.class, STRING_TYPE, runner.get()))
                    .destroyer(BeanDestroyer.AutoCloseableDestroyer.class)
                    .createWith(recorder.supervisor()).done());
        }
        defined.produce(new SupervisorDefinedBuildItem());
    }

    /** The {@code supervisor} readiness check, with SmallRye Health, of whichever supervisor bean there is. */
    @BuildStep(onlyIf = HealthPresent.class)
    @Record(ExecutionTime.RUNTIME_INIT)
    void healthCheck(SupervisorHealthRecorder recorder, SupervisorBuildTimeConfig config,
            Optional<SupervisorDefinedBuildItem> defined, BuildProducer<SyntheticBeanBuildItem> beans) {
        if (defined.isPresent() && config.health().enabled()) {
            beans.produce(SyntheticBeanBuildItem.configure(SupervisorHealthCheck.class).scope(Singleton.class)
                    .setRuntimeInit().unremovable().addQualifier(READINESS)
                    .types(ClassType.create(SupervisorHealthCheck.class), ClassType.create(HEALTH_CHECK))
                    .createWith(recorder.healthCheck()).done());
        }
    }

    /** Whether the application has SmallRye Health (the check's interface is then on the class path). */
    static final class HealthPresent implements BooleanSupplier {
        @Override
        public boolean getAsBoolean() {
            return QuarkusClassLoader.isClassPresentAtRuntime(HEALTH_CHECK.toString());
        }
    }

    /** The build defined a supervisor (the application has a row decoder and the datasource). */
    static final class SupervisorDefinedBuildItem extends SimpleBuildItem {
    }

    /**
     * The {@code P} of the application's one {@code RowDecoder<String, P extends Runner>} bean; empty
     * (with a warning) when it has none.
     *
     * @throws IllegalStateException when it has several, naming them
     */
    static Optional<Type> runnerType(BeanRegistrationPhaseBuildItem registration) {
        Type required = ParameterizedType.create(ROW_DECODER,
                new Type[] {STRING_TYPE, WildcardType.createUpperBound(ClassType.create(RUNNER))}, null);
        List<BeanInfo> decoders = registration.getContext().beans().assignableTo(required).collect();
        if (decoders.isEmpty()) {
            LOG.warn("The supervisor extension found no bean of type RowDecoder<String, ? extends Runner>, so it defines no"
                    + " supervisor: produce one (how a row becomes a process), or set quarkus.supervisor.enabled=false");
            return Optional.empty();
        }
        if (decoders.size() > 1) {
            throw new IllegalStateException("The supervisor extension needs exactly one bean of type RowDecoder<String, ?"
                    + " extends Runner>, but found " + decoders.size() + ": " + decoders.stream().map(BeanInfo::toString)
                    .collect(Collectors.joining(", ")));
        }
        BeanInfo decoder = decoders.get(0);
        return decoder.getTypes().stream().filter(type -> type.name().equals(ROW_DECODER)
                        && type.kind() == Type.Kind.PARAMETERIZED_TYPE)
                .map(type -> type.asParameterizedType().arguments().get(1)).findFirst();
    }

    /** Whether the application (not this extension) defines a bean of this type, whatever its type arguments. */
    private static boolean hasBeanOf(BeanRegistrationPhaseBuildItem registration, Class<?> type) {
        return !registration.getContext().beans().withBeanType(type).isEmpty();
    }
}
