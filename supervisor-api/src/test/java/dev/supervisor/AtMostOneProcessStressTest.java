package dev.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.testing.InMemoryTable;
import dev.supervisor.testing.ManualClock;
import dev.supervisor.testsupport.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hammers one supervisor from many threads (start, stop, restart, pause, resume, get, reset, row
 * inserts, updates and deletes, clock advances) while its processes crash, fail to start, ignore stops and retire themselves,
 * then closes it in the middle of the storm. Asserts that no key ever had two live processes,
 * and that close() left no process, no thread, and let nothing start afterwards.
 *
 * <p>Rounds: system property {@code supervisor.stress.rounds} (default 15); each round uses a
 * fresh seed, printed on failure so it can be replayed with {@code supervisor.stress.seed}.
 */
@Timeout(300)
class AtMostOneProcessStressTest {
    private static final int KEYS = 6;
    private static final int THREADS = 8;
    private static final int OPERATIONS_PER_THREAD = 400;

    @Test
    void noKeyEverHasTwoLiveProcessesAndCloseLeavesNone() throws Exception {
        storm(false);
    }

    /**
     * The same storm with the keys in two groups (one-for-all and rest-for-one, changing groups
     * and positions as it goes): group rounds stop and start members among all the other
     * operations, and close() in the middle of a round leaves no member running or half-started.
     */
    @Test
    void groupsUnderTheSameStorm() throws Exception {
        storm(true);
    }

    private void storm(boolean grouped) throws Exception {
        int rounds = Integer.getInteger("supervisor.stress.rounds", 15);
        long baseSeed = Long.getLong("supervisor.stress.seed", System.nanoTime());
        for (int round = 0; round < rounds; round++) {
            long seed = baseSeed + round;
            try {
                runRound(seed, grouped);
            } catch (AssertionError | Exception e) {
                throw new AssertionError("stress round " + round + " failed; replay with -Dsupervisor.stress.seed=" + seed
                        + " -Dsupervisor.stress.rounds=1", e);
            }
        }
    }

    private void runRound(long seed, boolean grouped) throws Exception {
        InMemoryTable<String, Runner> table = new InMemoryTable<>();
        ManualClock clock = new ManualClock();
        Map<String, AtomicInteger> live = new ConcurrentHashMap<>();
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        List<Thread> processThreads = new CopyOnWriteArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            live.put("k" + k, new AtomicInteger());
        }
        Supervisor<String, Runner> supervisor = Supervisor.builder(table).clock(clock)
                .reconcileInterval(Duration.ofMillis(200))
                .stopTimeout(Duration.ofMillis(50))
                .startTimeout(Duration.ofMillis(300))
                .initialWait(Duration.ZERO)
                .restartPolicy(RestartPolicy.DEFAULT.withBackoff(Duration.ofMillis(10), Duration.ofMillis(80)))
                .random(new Random(seed))
                .group("g0", GroupPolicy.oneForAll(20, Duration.ofMillis(500)))
                .group("g1", GroupPolicy.restForOne(20, Duration.ofMillis(500)))
                .build();
        Random setup = new Random(seed);
        for (int k = 0; k < KEYS; k++) {
            if (setup.nextBoolean()) {
                table.put("k" + k, new Chaotic(table, live, violations, runs, processThreads, setup.nextLong()));
                if (grouped) {
                    table.setGroup("k" + k, "g" + k % 2, k);
                }
            }
        }
        supervisor.launch();

        ExecutorService hammers = Executors.newVirtualThreadPerTaskExecutor();
        CountDownLatch halfway = new CountDownLatch(THREADS);
        // Time must keep moving even when every hammer is blocked in start() or stop() waiting for a
        // clock-driven timeout: a ticker drives the clock until the round is over.
        AtomicBoolean ticking = new AtomicBoolean(true);
        Future<?> ticker = hammers.submit(() -> {
            while (ticking.get()) {
                clock.advance(Duration.ofMillis(5));
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
        });
        List<Future<?>> futures = new CopyOnWriteArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long threadSeed = seed * 31 + t;
            futures.add(hammers.submit(() -> {
                Random random = new Random(threadSeed);
                for (int i = 0; i < OPERATIONS_PER_THREAD; i++) {
                    if (i == OPERATIONS_PER_THREAD / 2) {
                        halfway.countDown();
                    }
                    operate(random, supervisor, table, clock, live, violations, runs, processThreads, grouped);
                }
                return null;
            }));
        }
        assertThat(halfway.await(Waits.LOAD.toSeconds(), TimeUnit.SECONDS)).as("hammers got halfway").isTrue();
        assertThat(violations).as("two live processes for one key, before close").hasValue(0);
        Future<?> close = hammers.submit(supervisor::close); // in the middle of the storm
        try {
            close.get(Waits.LOAD.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("close() did not return within 60 s: a process was left behind; violations="
                    + violations.get() + ", live=" + live, e);
        }
        int runsAtClose = runs.get();
        for (Future<?> future : futures) {
            future.get(Waits.LOAD.toSeconds(), TimeUnit.SECONDS);
        }
        ticking.set(false);
        ticker.get(Waits.LOAD.toSeconds(), TimeUnit.SECONDS);
        hammers.shutdown();
        clock.advance(Duration.ofHours(1)); // any timer left over fires now, and must start nothing

        System.out.printf("stress round seed=%d: %d process runs, %d at close, %d statuses%n", seed, runs.get(),
                runsAtClose, supervisor.statuses().size());
        assertThat(runs.get()).as("the storm ran processes").isPositive();
        assertThat(violations).as("two live processes for one key").hasValue(0);
        assertThat(live.values()).as("live processes after close").allSatisfy(c -> assertThat(c).hasValue(0));
        assertThat(supervisor.keys()).isEmpty();
        assertThat(processThreads).allSatisfy(thread -> assertThat(thread.isAlive()).as(thread.getName()).isFalse());
        assertThat(runs.get()).as("nothing started once close() returned").isEqualTo(runsAtClose);
        assertThat(supervisor.statuses().values()).as("no key starting, running or waiting for a restart after close")
                .allSatisfy(status -> assertThat(status.state().hasProcess() || status.state() == KeyState.BACKOFF)
                        .as(status.toString()).isFalse());
    }

    private static void operate(Random random, Supervisor<String, Runner> supervisor, InMemoryTable<String, Runner> table,
            ManualClock clock, Map<String, AtomicInteger> live, AtomicInteger violations, AtomicInteger runs,
            List<Thread> processThreads, boolean grouped) {
        String key = "k" + random.nextInt(KEYS);
        try {
            switch (random.nextInt(12)) {
                case 0, 1 -> supervisor.start(key);
                case 2 -> supervisor.stop(key);
                case 3 -> supervisor.get(key);
                case 4 -> table.put(key, new Chaotic(table, live, violations, runs, processThreads, random.nextLong()));
                case 5 -> table.remove(key);
                case 6 -> supervisor.reset(key);
                case 7 -> clock.advance(Duration.ofMillis(random.nextInt(120)));
                case 9 -> supervisor.restart(key);
                case 10 -> supervisor.pause(key);
                case 11 -> supervisor.resume(key);
                case 8 -> {
                    if (grouped) {
                        table.setGroup(key, "g" + random.nextInt(2), random.nextInt(KEYS));
                    }
                }
                default -> {
                    supervisor.keys();
                    supervisor.statuses();
                }
            }
        } catch (SupervisorException expected) {
            // NotRunning, ProcessExists, ProcessNotFound, ProcessNotRunning, ProcessStart: all legal outcomes
        }
    }

    /** A process that counts itself live and then does one of several things, chosen by its seed. */
    private record Chaotic(InMemoryTable<String, Runner> table, Map<String, AtomicInteger> live, AtomicInteger violations,
            AtomicInteger runs, List<Thread> threads, long seed) implements Runner {

        @Override
        public void run(ProcessContext context) throws Exception {
            String key = (String) context.key();
            runs.incrementAndGet();
            threads.add(Thread.currentThread());
            if (live.get(key).incrementAndGet() > 1) {
                violations.incrementAndGet();
            }
            try {
                Random random = new Random(seed + context.attempt());
                switch (random.nextInt(6)) {
                    case 0 -> throw new IllegalStateException("fails before ready");
                    case 1 -> {
                        context.ready();
                        context.awaitStop(Duration.ofMillis(random.nextInt(200)));
                        if (!context.stopRequested()) {
                            throw new IllegalStateException("crashes while running");
                        }
                    }
                    case 2 -> {
                        context.ready();
                        new CountDownLatch(1).await(); // ignores the graceful stop; only an interrupt ends it
                    }
                    case 3 -> {
                        context.ready();
                        if (random.nextBoolean()) {
                            table.remove(key); // retires itself
                        }
                    }
                    case 4 -> new CountDownLatch(1).await(); // stuck in startup until interrupted
                    default -> {
                        context.ready();
                        context.awaitStop();
                    }
                }
            } finally {
                live.get(key).decrementAndGet();
            }
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

}
