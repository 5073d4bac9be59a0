package dev.supervisor.cli.daemon;

import dev.supervisor.Ownership;
import dev.supervisor.ProcessExit;
import dev.supervisor.Supervisor;
import dev.supervisor.SupervisorListener;
import dev.supervisor.cli.CommandSpec;
import dev.supervisor.cli.RowSettings;
import dev.supervisor.cli.output.HumanOutput;
import dev.supervisor.cli.process.LiveProcesses;
import dev.supervisor.cli.process.OsProcessRunner;
import dev.supervisor.jdbc.Database;
import dev.supervisor.jdbc.JdbcTable;
import dev.supervisor.jdbc.LeaseOwnership;
import dev.supervisor.jdbc.StatusWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The daemon's machinery, shared by {@code run} and {@code demo}: a {@link Supervisor} over the
 * rows of the database's table, each row an {@link OsProcessRunner}, with the status table
 * written back (pid and process start time included) and one line per event printed.
 *
 * <p>{@link #close()} stops every process (SIGTERM to each tree, SIGKILL after the stop timeout),
 * writes the last statuses and stops watching the table; the database stays open.
 */
public final class Daemon implements AutoCloseable {

    /** Full passes run this often besides the change signal (which notices inserts and deletes at once). */
    static final Duration RECONCILE_INTERVAL = Duration.ofSeconds(30);
    /**
     * How often the embedded table is checked for changes made by other processes: a start takes
     * a second anyway (the start grace), and checking five times less often than the library's
     * default costs an idle daemon five times less CPU.
     */
    static final Duration H2_POLL_INTERVAL = Duration.ofMillis(100);
    /** The supervisor's name: in its log lines and the {@code name} tag of its meters. */
    public static final String SUPERVISOR_NAME = "supervisor";
    /** This daemon's name in the status, daemons and lease tables: {@code pid@host}. */
    public static final String NODE = ManagementFactory.getRuntimeMXBean().getName();
    /**
     * How much longer than the stop timeout the supervisor waits before interrupting a runner that
     * is still stopping. A row with a longer stop timeout of its own still gets it: its runner keeps
     * waiting (see {@link OsProcessRunner}), except in cluster mode, where the interrupt is a forced
     * stop.
     */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(5);

    private final LiveProcesses live;
    private final JdbcTable<String, OsProcessRunner> table;
    private final StatusWriter<String> status;
    private final Supervisor<String, OsProcessRunner> supervisor;

    private final GiveUpLifter lifter;

    private Daemon(LiveProcesses live, JdbcTable<String, OsProcessRunner> table, StatusWriter<String> status,
            Supervisor<String, OsProcessRunner> supervisor, GiveUpLifter lifter) {
        this.lifter = lifter;
        this.live = live;
        this.table = table;
        this.status = status;
        this.supervisor = supervisor;
    }

    /**
     * Cleans up after a daemon of this home that died ({@link LeftoverReaper}), then builds the
     * supervisor and launches it: every row's process is started (launch waits up to a second
     * and a half for them), then changes are followed.
     */
    public static Daemon launch(Database database, RunnerSettings settings, HumanOutput output) {
        return launch(database, settings, output, new SupervisorListener<>() { }, new SupervisorListener<>() { });
    }

    /** Like {@link #launch(Database, RunnerSettings, HumanOutput)}, with more listeners on the supervisor (its meters). */
    public static Daemon launch(Database database, RunnerSettings settings, HumanOutput output, SupervisorListener<Object> more,
            SupervisorListener<String> exits) {
        String node = NODE;
        new LeftoverReaper(database, node, settings.stopTimeout(), output, settings.launcher()).reap();
        settings.launcher().limits().removeLeftovers();
        LiveProcesses live = settings.live();
        JdbcTable<String, OsProcessRunner> table = JdbcTable.builder(database,
                row -> new OsProcessRunner(row.key(), CommandSpec.fromJson(row.payload()), settings))
                .pollInterval(H2_POLL_INTERVAL)
                .build();
        StatusWriter<String> status = StatusWriter.<String>builder(database).node(node).processDetails(live).build();
        Ownership<String> ownership = settings.cluster() ? LeaseOwnership.builder(table).nodeName(node).build() : Ownership.local();
        Supervisor<String, OsProcessRunner> supervisor = Supervisor.builder(table)
                .name(SUPERVISOR_NAME)
                .reconcileInterval(RECONCILE_INTERVAL)
                .initialWait(RunnerSettings.START_GRACE.plusMillis(500))
                .stopTimeout(settings.stopTimeout().plus(STOP_MARGIN))
                .restartPolicyFor((key, runner) -> runner.restartPolicy())
                .listener(status)
                .listener(output)
                .listener(live)
                .listener(more)
                .listener(exits)
                .ownership(ownership)
                .build();
        live.onHealthChange(key -> supervisor.status(key).ifPresent(status::statusChanged)); // rewrite its row: new health
        output.explainGiveUps((key, exit) -> giveUpReason(table, key, exit));
        GiveUpLifter lifter = new GiveUpLifter(supervisor, table, output);
        settings.live().onStart(lifter::started);
        table.subscribe(lifter);
        Daemon daemon = new Daemon(live, table, status, supervisor, lifter);
        try {
            supervisor.launch();
        } catch (RuntimeException e) {
            daemon.close();
            throw e;
        }
        return daemon;
    }

    /** Why key was given up: its start retries or its give-up window, as its row says. */
    private static String giveUpReason(JdbcTable<String, OsProcessRunner> table, String key, ProcessExit exit) {
        try {
            return table.get(key).map(r -> r.spec().settings()).orElse(RowSettings.DEFAULT)
                    .giveUpReason(exit.kind() == ProcessExit.Kind.START_FAILED);
        } catch (RuntimeException e) {
            return "too many failures";
        }
    }

    public Supervisor<String, OsProcessRunner> supervisor() {
        return supervisor;
    }

    LiveProcesses live() {
        return live;
    }

    @Override
    public void close() {
        try {
            lifter.close();
            supervisor.close();
        } finally {
            status.close();
            table.close();
        }
    }
}
