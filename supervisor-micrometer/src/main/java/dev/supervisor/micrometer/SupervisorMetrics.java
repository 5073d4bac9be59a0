package dev.supervisor.micrometer;

import dev.supervisor.KeyState;
import dev.supervisor.PassReport;
import dev.supervisor.ProcessExit;
import dev.supervisor.ProcessStatus;
import dev.supervisor.SupervisorListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Micrometer meters for one supervisor, fed by its listener events. Register it both as a
 * listener and as a binder, before {@code launch()}:
 *
 * <pre>{@code
 * SupervisorMetrics metrics = new SupervisorMetrics("mailer");
 * Supervisor<String, Worker> supervisor = Supervisor.builder(table).name("mailer").listener(metrics).build();
 * metrics.bindTo(registry);
 * supervisor.launch();
 * }</pre>
 *
 * <p>Meters (every one tagged {@code name} = the supervisor's name given here; tag values lower case):
 * <ul>
 *   <li>{@value #PROCESSES}, gauge per {@code state} (each {@link KeyState}: {@code starting},
 *       {@code running}, {@code stopping}, {@code stopped}, {@code backoff}, {@code given_up},
 *       {@code completed}, {@code paused}, {@code invalid}): how many keys are in that state now;
 *   <li>{@value #STARTS}, counter: attempts begun (first starts and restarts);
 *   <li>{@value #EXITS}, counter per {@code kind} (each {@link ProcessExit.Kind}: {@code succeeded},
 *       {@code failed}, {@code start_failed}, {@code stopped}, {@code cancelled}): attempts ended;
 *   <li>{@value #RESTARTS}, counter: attempts begun after a key's first (so starts minus first starts);
 *   <li>{@value #PASSES}, timer per {@code outcome} ({@code success}: the pass read the whole table;
 *       {@code failure}: it ended early): full reconcile passes and their duration.
 * </ul>
 *
 * <p>The gauges follow the events from the moment the listener is registered. Counters and
 * timers count events from the moment they are bound; bind before launching so none is missed.
 * Binding to several registries is fine: each gets its own meters, all counting the same events.
 *
 * <p>Cost: a map update and a few atomic increments per event, on the listener's own thread
 * (see {@link SupervisorListener} for its threading); the supervisor never waits for it. One
 * instance per supervisor.
 */
public final class SupervisorMetrics implements SupervisorListener<Object>, MeterBinder {

    /** Gauge of keys per state (tag {@code state}). */
    public static final String PROCESSES = "supervisor.processes";
    /** Counter of attempts begun. */
    public static final String STARTS = "supervisor.starts";
    /** Counter of attempts ended (tag {@code kind}). */
    public static final String EXITS = "supervisor.exits";
    /** Counter of restarts: attempts begun after a key's first. */
    public static final String RESTARTS = "supervisor.restarts";
    /** Timer of full reconcile passes (tag {@code outcome}: {@code success} or {@code failure}). */
    public static final String PASSES = "supervisor.passes";
    /** The tag naming the supervisor, on every meter. */
    public static final String NAME_TAG = "name";

    private final String name;
    private final Tags tags;
    private final Map<Object, Seen> seen = new ConcurrentHashMap<>();
    private final EnumMap<KeyState, AtomicInteger> inState = new EnumMap<>(KeyState.class);
    private final CopyOnWriteArrayList<Bound> bound = new CopyOnWriteArrayList<>();

    /**
     * Meters for the supervisor named {@code name} (its {@code Supervisor.Builder.name}).
     *
     * @throws NullPointerException if name is null
     */
    public SupervisorMetrics(String name) {
        this(name, Tags.empty());
    }

    /** Meters for the supervisor named {@code name}, with {@code extraTags} on every meter as well. */
    public SupervisorMetrics(String name, Iterable<Tag> extraTags) {
        this.name = Objects.requireNonNull(name, "name");
        this.tags = Tags.of(NAME_TAG, name).and(Objects.requireNonNull(extraTags, "extraTags"));
        for (KeyState state : KeyState.values()) {
            inState.put(state, new AtomicInteger());
        }
    }

    /** The supervisor's name, as tagged. */
    public String name() {
        return name;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (KeyState state : KeyState.values()) {
            Gauge.builder(PROCESSES, inState.get(state), AtomicInteger::get).tags(tags).tag("state", lower(state))
                    .description("Keys of the supervisor in this state").strongReference(true).register(registry);
        }
        EnumMap<ProcessExit.Kind, Counter> exits = new EnumMap<>(ProcessExit.Kind.class);
        for (ProcessExit.Kind kind : ProcessExit.Kind.values()) {
            exits.put(kind, Counter.builder(EXITS).tags(tags).tag("kind", lower(kind))
                    .description("Attempts ended, by how they ended").register(registry));
        }
        bound.add(new Bound(
                Counter.builder(STARTS).tags(tags).description("Attempts begun").register(registry),
                Counter.builder(RESTARTS).tags(tags).description("Attempts begun after a key's first").register(registry),
                exits,
                Timer.builder(PASSES).tags(tags).tag("outcome", "success")
                        .description("Full reconcile passes that read the whole table").register(registry),
                Timer.builder(PASSES).tags(tags).tag("outcome", "failure")
                        .description("Full reconcile passes that ended early").register(registry)));
    }

    @Override
    public void statusChanged(ProcessStatus<Object> status) {
        Seen previous = seen.put(status.key(), new Seen(status.state(), status.lastExit().orElse(null)));
        if (previous != null) {
            inState.get(previous.state).decrementAndGet();
        }
        inState.get(status.state()).incrementAndGet();
        countExit(previous, status);
        if (status.state() == KeyState.STARTING && (previous == null || previous.state != KeyState.STARTING)) {
            for (Bound b : bound) {
                b.starts.increment();
                if (status.attempt() > 1) {
                    b.restarts.increment();
                }
            }
        }
    }

    @Override
    public void retired(ProcessStatus<Object> last) {
        Seen previous = seen.remove(last.key());
        if (previous != null) {
            inState.get(previous.state).decrementAndGet();
        }
        countExit(previous, last);
    }

    @Override
    public void passCompleted(PassReport<Object> report) {
        for (Bound b : bound) {
            (report.complete() ? b.passSuccess : b.passFailure).record(report.duration());
        }
    }

    /** Counts status's latest exit if it is not the one already seen for the key. */
    private void countExit(Seen previous, ProcessStatus<Object> status) {
        ProcessExit exit = status.lastExit().orElse(null);
        if (exit != null && (previous == null || !exit.equals(previous.lastExit))) {
            for (Bound b : bound) {
                b.exits.get(exit.kind()).increment();
            }
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "SupervisorMetrics[" + name + "]";
    }

    /** What the metrics last saw of a key. */
    private record Seen(KeyState state, ProcessExit lastExit) {
    }

    /** One registry's meters. */
    private record Bound(Counter starts, Counter restarts, EnumMap<ProcessExit.Kind, Counter> exits, Timer passSuccess,
                         Timer passFailure) {
    }
}
