package dev.supervisor.internal;

import dev.supervisor.Clock;
import dev.supervisor.GroupPolicy;
import dev.supervisor.Ownership;
import dev.supervisor.RestartPolicy;
import dev.supervisor.RowUpdates;
import dev.supervisor.Runner;
import dev.supervisor.SupervisorListener;
import dev.supervisor.Table;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;
import org.slf4j.LoggerFactory;

/** A supervisor's frozen configuration, validated by {@code Supervisor.Builder}. */
public record SupervisorConfig<K, P extends Runner>(
        String name,
        Table<K, P> table,
        Clock clock,
        Duration reconcileInterval,
        Duration resyncInterval,
        Duration initialWait,
        Optional<Duration> startTimeout,
        Duration stopTimeout,
        RestartPolicy restartPolicy,
        Optional<BiFunction<? super K, ? super P, RestartPolicy>> restartPolicyFor,
        List<SupervisorListener<? super K>> listeners,
        Ownership<K> ownership,
        RandomGenerator random,
        RowUpdates rowUpdates,
        Map<String, GroupPolicy> groups) {

    /**
     * The policy for this key and process: the per-key function's answer, or the builder's policy
     * when there is no function, it answers null, or it throws (logged: a faulty function must not
     * cost the key its backoff).
     */
    RestartPolicy policyFor(K key, P process) {
        if (restartPolicyFor.isEmpty() || process == null) {
            return restartPolicy;
        }
        try {
            RestartPolicy specific = restartPolicyFor.get().apply(key, process);
            return specific != null ? specific : restartPolicy;
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(SupervisorConfig.class).warn(
                    "[{}] restartPolicyFor threw for {}; using the default policy", name, key, e);
            return restartPolicy;
        }
    }

    /** One line of effective settings, for the log. */
    String describe() {
        return "name=" + name + ", reconcileInterval=" + reconcileInterval + ", resyncInterval=" + resyncInterval
                + ", initialWait=" + initialWait
                + ", startTimeout=" + startTimeout.map(Duration::toString).orElse("none") + ", stopTimeout=" + stopTimeout
                + ", restartPolicy=" + restartPolicy + (restartPolicyFor.isPresent() ? " (overridden per key)" : "")
                + ", listeners=" + listeners.size() + ", ownership=" + ownership.getClass().getSimpleName()
                + ", clock=" + clock.getClass().getSimpleName() + ", onRowUpdate=" + rowUpdates
                + (groups.isEmpty() ? "" : ", groups=" + groups);
    }
}
