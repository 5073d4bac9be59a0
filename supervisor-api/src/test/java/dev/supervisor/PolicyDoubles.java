package dev.supervisor;

import static dev.supervisor.Waiting.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * Fixtures for the restart-policy, status, listener and handover tests: a {@link RecordingListener}
 * that checks every event is a legal successor, and a {@link Rig} that wires runners from
 * {@link Runners} to a supervisor on a {@link ManualClock} with seeded jitter.
 */
final class PolicyDoubles {

    /** The seed of every rig's jitter. */
    static final long SEED = 20260101L;

    private PolicyDoubles() {
    }

    /** A policy without jitter, so that its schedule is exact. */
    static RestartPolicy exact(Duration initial, Duration max) {
        return RestartPolicy.DEFAULT.withJitter(0).withBackoff(initial, max);
    }

    // ------------------------------------------------------------------------------------ listener

    /**
     * Records every event and checks, as it arrives, that each status is a legal successor of the
     * key's previous one ({@link KeyState#canBecome}, the graph the engine enforces), that it is a change at all, and
     * that attempt and restart numbers move as they should. Exceptions thrown by a listener are
     * only logged by the supervisor, so violations are collected for the test to assert.
     */
    static final class RecordingListener<K> implements SupervisorListener<K> {
        private final List<ProcessStatus<K>> all = new CopyOnWriteArrayList<>();
        private final Map<K, List<ProcessStatus<K>>> statuses = new ConcurrentHashMap<>();
        private final Map<K, ProcessStatus<K>> latest = new ConcurrentHashMap<>();
        private final List<ProcessStatus<K>> retired = new CopyOnWriteArrayList<>();
        private final List<PassReport<K>> passes = new CopyOnWriteArrayList<>();
        private final List<String> violations = new CopyOnWriteArrayList<>();

        @Override
        public void statusChanged(ProcessStatus<K> status) {
            K key = status.key();
            ProcessStatus<K> previous = latest.put(key, status);
            all.add(status);
            statuses.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(status);
            if (previous == null) {
                boolean firstStart = status.state() == KeyState.STARTING && status.attempt() == 1;
                boolean idleBeforeStart = (status.state() == KeyState.PAUSED || status.state() == KeyState.INVALID)
                        && status.attempt() == 0;
                if (!(firstStart || idleBeforeStart) || status.restarts() != 0) {
                    violations.add(key + ": first event must be STARTING of attempt 1 (or PAUSED or INVALID before any), was " + status);
                }
                return;
            }
            if (status.equals(previous)) {
                violations.add(key + ": statusChanged without a change: " + status);
            }
            if (!previous.state().canBecome(status.state())) {
                violations.add(key + ": " + previous.state() + " -> " + status.state() + " is not a legal successor");
            }
            int expectedAttempt = previous.attempt() + (status.state() == KeyState.STARTING ? 1 : 0);
            if (status.attempt() != expectedAttempt || status.restarts() != status.attempt() - 1) {
                violations.add(key + ": attempt/restarts " + status.attempt() + "/" + status.restarts() + " after "
                        + previous.attempt() + "/" + previous.restarts() + " (" + status.state() + ")");
            }
        }

        @Override
        public void retired(ProcessStatus<K> last) {
            ProcessStatus<K> previous = latest.remove(last.key());
            if (!last.equals(previous)) {
                violations.add(last.key() + ": retired with " + last + " but the latest status was " + previous);
            }
            if (last.state().hasProcess() || last.state() == KeyState.BACKOFF) {
                violations.add(last.key() + ": retired while " + last.state());
            }
            retired.add(last);
        }

        @Override
        public void passCompleted(PassReport<K> report) {
            passes.add(report);
        }

        /** Every state key went through, in order (across retirements). */
        List<KeyState> history(K key) {
            return statuses(key).stream().map(ProcessStatus::state).toList();
        }

        /** Every status of every key, in arrival order. */
        List<ProcessStatus<K>> all() {
            return List.copyOf(all);
        }

        /** Every status of key, in order. */
        List<ProcessStatus<K>> statuses(K key) {
            return List.copyOf(statuses.getOrDefault(key, List.of()));
        }

        /** The keys retired so far, in order. */
        List<K> retiredKeys() {
            return retired.stream().map(ProcessStatus::key).toList();
        }

        List<PassReport<K>> passes() {
            return List.copyOf(passes);
        }

        List<String> violations() {
            return List.copyOf(violations);
        }
    }

    /** A listener whose every status event waits until the test releases it, then is recorded. */
    static final class BlockedListener implements SupervisorListener<String> {
        private final CountDownLatch released = new CountDownLatch(1);
        private final List<ProcessStatus<String>> seen = new CopyOnWriteArrayList<>();

        @Override
        public void statusChanged(ProcessStatus<String> status) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen.add(status);
        }

        void release() {
            released.countDown();
        }

        /** The events it took so far, in order. */
        List<ProcessStatus<String>> seen() {
            return List.copyOf(seen);
        }
    }

    // ------------------------------------------------------------------------------------ rig

    /**
     * A supervisor of an in-memory table of runners keyed by string, on a {@link ManualClock},
     * with jitter from {@code new Random(SEED)} and a {@link RecordingListener}. Closing it closes
     * the supervisor and asserts that the listener saw no illegal transition.
     */
    static final class Rig implements AutoCloseable {
        final ManualClock clock = new ManualClock();
        final InMemoryTable<String, Runner> table = new InMemoryTable<>();
        final RecordingListener<String> listener = new RecordingListener<>();
        final Supervisor<String, Runner> supervisor;

        /** A rig with this policy for every key. */
        Rig(RestartPolicy policy) {
            this(builder -> builder.restartPolicy(policy));
        }

        /** A rig configured further by {@code configure}. */
        Rig(UnaryOperator<Supervisor.Builder<String, Runner>> configure) {
            this.supervisor = configure.apply(Supervisor.builder(table).clock(clock).random(new Random(SEED))
                    .listener(listener)).build();
        }

        /** Launches the supervisor (tests insert rows afterwards, so launch never waits on the clock). */
        Rig launch() {
            supervisor.launch();
            return this;
        }

        ProcessStatus<String> status(String key) {
            return supervisor.status(key).orElseThrow(() -> new AssertionError("no status for " + key));
        }

        /** Waits until key's status is {@code state} in attempt {@code attempt}, and returns it. */
        ProcessStatus<String> awaitState(String key, KeyState state, int attempt) {
            return waiting().alias(key + " " + state + " in attempt " + attempt).until(() -> supervisor.status(key).orElse(null),
                    s -> s != null && s.state() == state && s.attempt() == attempt);
        }

        /** Waits until key is in BACKOFF after attempt {@code attempt} and its restart timer is armed. */
        ProcessStatus<String> awaitBackoff(String key, int attempt) {
            ProcessStatus<String> status = awaitState(key, KeyState.BACKOFF, attempt);
            Instant due = status.nextAttemptAt().orElseThrow();
            awaitTimerAt(due);
            return status;
        }

        /** Waits until a timer due at {@code due} is pending on the clock. */
        void awaitTimerAt(Instant due) {
            waiting().alias("a timer due at " + due + " (pending: " + clock.pendingTimerDues() + ")")
                    .until(() -> clock.pendingTimerDues().contains(due));
        }

        /** Stops key's running process, lets a pass start it again and waits until attempt {@code next} is RUNNING. */
        ProcessStatus<String> restartByPass(String key, int next) {
            supervisor.stop(key);
            supervisor.reconcileNow();
            return awaitState(key, KeyState.RUNNING, next);
        }

        /** Deletes key's row and waits until the supervisor retired the key. */
        void deleteRow(String key) {
            table.remove(key);
            waiting().alias(key + " retired").until(() -> listener.retiredKeys().contains(key) && supervisor.status(key).isEmpty());
        }

        /** Moves the clock to {@code instant}, firing every timer due until then. */
        void advanceTo(Instant instant) {
            clock.advance(Duration.between(clock.now(), instant));
        }

        /** The backoff of a status in BACKOFF: from its exit to its next attempt. */
        static Duration backoffOf(ProcessStatus<String> status) {
            return Duration.between(status.lastExit().orElseThrow().at(), status.nextAttemptAt().orElseThrow());
        }

        /**
         * Lets key end and restart after attempts {@code first} to {@code last}, each time stepping
         * the clock to the due restart, and returns the backoff delays it saw, in order.
         */
        List<Duration> backoffs(String key, int first, int last) {
            List<Duration> delays = new ArrayList<>();
            for (int attempt = first; attempt <= last; attempt++) {
                ProcessStatus<String> backoff = awaitBackoff(key, attempt);
                delays.add(backoffOf(backoff));
                advanceTo(backoff.nextAttemptAt().orElseThrow());
            }
            return delays;
        }

        @Override
        public void close() {
            supervisor.close();
            assertThat(listener.violations()).as("illegal listener events").isEmpty();
        }
    }
}
