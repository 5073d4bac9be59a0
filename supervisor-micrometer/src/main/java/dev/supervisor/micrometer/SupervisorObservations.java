package dev.supervisor.micrometer;

import dev.supervisor.KeyState;
import dev.supervisor.PassReport;
import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStatus;
import dev.supervisor.SupervisorListener;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Micrometer {@link Observation}s of a supervisor, made from its listener events: one per attempt
 * of a key ({@value #ATTEMPT}, from its start to its end) and one per reconcile pass
 * ({@value #PASS}). With a meter handler they become timers (and a long task timer of the attempts
 * running now); with Micrometer Tracing, spans. Register it as a listener, before {@code launch()}:
 *
 * <pre>{@code
 * Supervisor.builder(table).name("mailer").listener(new SupervisorObservations("mailer", observationRegistry)).build();
 * }</pre>
 *
 * <p>Key values. Low cardinality: {@value #NAME} (the supervisor's name), {@value #OUTCOME} (an
 * attempt's exit kind, lower case: {@code succeeded}, {@code failed}, {@code start_failed},
 * {@code stopped}, {@code cancelled}; a pass's {@code success} or {@code failure}), and for a pass
 * {@value #PASS_KIND} ({@code full} or {@code incremental}). High cardinality (on spans, never on
 * meters): {@value #KEY}, {@value #ATTEMPT_NUMBER}, and for a pass {@value #ROWS_SEEN}. A failed
 * attempt's or pass's error is the observation's error; an attempt's becoming RUNNING is its event
 * {@code running}.
 *
 * <p>Timing: an observation starts and stops when this listener receives the event, on the
 * listener's own thread (see {@link SupervisorListener}), so it runs behind the supervisor by the
 * listener's queue, which is empty but for bursts; it is never on the runner's thread, so a
 * worker's own spans are not its children. Cost: a map update and one observation started or
 * stopped per event; the supervisor never waits for it. One instance per supervisor.
 */
public final class SupervisorObservations implements SupervisorListener<Object> {

    /** The observation of one attempt of a key. */
    public static final String ATTEMPT = "supervisor.attempt";
    /** The observation of one reconcile pass. */
    public static final String PASS = "supervisor.pass";
    /** Low cardinality: the supervisor's name (as {@link SupervisorMetrics} tags its meters). */
    public static final String NAME = SupervisorMetrics.NAME_TAG;
    /** Low cardinality: how an attempt ended, or whether a pass read every row it set out to. */
    public static final String OUTCOME = "outcome";
    /** Low cardinality: a pass's kind, {@code full} or {@code incremental}. */
    public static final String PASS_KIND = "supervisor.pass.kind";
    /** High cardinality: the key. */
    public static final String KEY = "supervisor.key";
    /** High cardinality: the attempt's number. */
    public static final String ATTEMPT_NUMBER = "supervisor.attempt.number";
    /** High cardinality: the rows a pass read. */
    public static final String ROWS_SEEN = "supervisor.pass.rows";

    private final String name;
    private final ObservationRegistry registry;
    private final Map<Object, Open> attempts = new ConcurrentHashMap<>();
    private volatile Observation pass;

    /**
     * Observations of the supervisor named {@code name} (its {@code Supervisor.Builder.name}) in registry.
     *
     * @throws NullPointerException if an argument is null
     */
    public SupervisorObservations(String name, ObservationRegistry registry) {
        this.name = Objects.requireNonNull(name, "name");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void statusChanged(ProcessStatus<Object> status) {
        Open open = attempts.get(status.key());
        if (open != null && endedBy(open, status)) {
            stop(attempts.remove(status.key()), status);
            open = null;
        }
        if (status.state() == KeyState.STARTING && open == null) {
            Observation attempt = Observation.createNotStarted(ATTEMPT, registry)
                    .contextualName("supervisor attempt")
                    .lowCardinalityKeyValue(NAME, name)
                    .highCardinalityKeyValue(KEY, String.valueOf(status.key()))
                    .highCardinalityKeyValue(ATTEMPT_NUMBER, Integer.toString(status.attempt()))
                    .start();
            attempts.put(status.key(), new Open(status.attempt(), attempt));
        } else if (status.state() == KeyState.RUNNING && open != null) {
            open.observation.event(Observation.Event.of("running"));
        }
    }

    @Override
    public void retired(ProcessStatus<Object> last) {
        Open open = attempts.remove(last.key());
        if (open != null) {
            stop(open, last);
        }
    }

    @Override
    public void passStarted(Instant startedAt, boolean incremental) {
        Observation previous = pass;
        if (previous != null) { // its report never came (cannot happen: passes are serial and always reported)
            previous.stop();
        }
        pass = Observation.createNotStarted(PASS, registry)
                .contextualName("supervisor pass")
                .lowCardinalityKeyValue(NAME, name)
                .lowCardinalityKeyValue(PASS_KIND, incremental ? "incremental" : "full")
                .start();
    }

    @Override
    public void passCompleted(PassReport<Object> report) {
        Observation observation = pass;
        pass = null;
        if (observation == null) {
            return; // the pass began before this listener was registered
        }
        report.failure().ifPresent(observation::error);
        observation.lowCardinalityKeyValue(OUTCOME, report.complete() ? "success" : "failure")
                .highCardinalityKeyValue(ROWS_SEEN, Integer.toString(report.rowsSeen()))
                .stop();
    }

    /** True if status says that open's attempt has ended (its exit, or a later attempt's start). */
    private static boolean endedBy(Open open, ProcessStatus<Object> status) {
        return status.lastExit().map(ProcessExit::attempt).filter(attempt -> attempt >= open.attempt).isPresent()
                || status.attempt() > open.attempt;
    }

    private static void stop(Open open, ProcessStatus<Object> status) {
        ProcessExit exit = status.lastExit().filter(e -> e.attempt() == open.attempt).orElse(null);
        if (exit != null) {
            exit.error().ifPresent(open.observation::error);
        }
        open.observation.lowCardinalityKeyValue(OUTCOME, exit == null ? "unknown" : exit.kind().name().toLowerCase(Locale.ROOT))
                .stop();
    }

    @Override
    public String toString() {
        return "SupervisorObservations[" + name + "]";
    }

    /** An attempt being observed. */
    private record Open(int attempt, Observation observation) {
    }
}
