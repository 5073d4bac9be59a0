package dev.supervisor.cli.daemon;

import dev.supervisor.KeyState;
import dev.supervisor.ProcessStatus;
import dev.supervisor.SupervisorListener;
import dev.supervisor.cli.process.CommandFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The daemon's exit kinds that the library's {@code supervisor_exits_total} cannot tell (it counts
 * them as {@code failed}): {@value #METER}{@code {kind="oom-killed"}} and {@code {kind="unhealthy"}},
 * tagged {@code name} like the supervisor's meters. A listener counting each attempt once, when its
 * key leaves the attempt (the status after its exit).
 */
public final class CommandExitMeters implements SupervisorListener<String>, MeterBinder {

    /** The counter's name: {@code supervisor_command_exits_total} in Prometheus's format. */
    public static final String METER = "supervisor.command.exits";

    private final String name;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    /** The last attempt counted per key; listener thread only. */
    private final java.util.Map<String, Integer> counted = new java.util.HashMap<>();

    public CommandExitMeters(String name) {
        this.name = name;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        for (String kind : List.of(CommandFailure.OOM_KILLED, CommandFailure.UNHEALTHY)) {
            counter(registry, kind); // shown at 0 from the start
        }
    }

    private Counter counter(MeterRegistry registry, String kind) {
        return Counter.builder(METER).description("Attempts of commands that ended this way (also counted as failed in "
                + "supervisor.exits)").tag("name", name).tag("kind", kind).register(registry);
    }

    @Override
    public void statusChanged(ProcessStatus<String> status) {
        if (status.state().hasProcess() || status.state() == KeyState.INVALID) {
            return;
        }
        status.lastExit().ifPresent(exit -> {
            if (exit.error().orElse(null) instanceof CommandFailure failure && failure.kind().isPresent()
                    && !Integer.valueOf(exit.attempt()).equals(counted.get(status.key()))) {
                counted.put(status.key(), exit.attempt());
                registries.forEach(registry -> counter(registry, failure.kind().get()).increment());
            }
        });
    }

    @Override
    public void retired(ProcessStatus<String> last) {
        counted.remove(last.key());
    }
}
