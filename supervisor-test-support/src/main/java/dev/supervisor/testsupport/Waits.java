package dev.supervisor.testsupport;

import java.time.Duration;

/**
 * How long a test waits, at most, for something it expects: the one place where the tests' wait
 * bounds are set. Each is an upper bound for a loaded machine (CI shares its cores with other
 * builds), never a timing: a test passes as soon as its condition holds, and never depends on a
 * bound being short. Pick the bound by what is waited for, not by how long it usually takes.
 */
public final class Waits {

    /**
     * Work inside the test's JVM with no database or OS process in between: a supervisor over an
     * in-memory table reacting, a latch, a future, a thread ending, a timer armed on a manual clock.
     */
    public static final Duration SHORT = Duration.ofSeconds(30);

    /**
     * A round trip through a real database (H2, PostgreSQL, MariaDB) from the test's JVM: a change
     * signal, a status write, a pass or a claim on one node, an application started on it.
     */
    public static final Duration DATABASE = Duration.ofSeconds(45);

    /**
     * Several nodes agreeing through leases: claims, hand-overs and expiries among nodes in the
     * test's JVM or in processes of their own.
     */
    public static final Duration CLUSTER = Duration.ofSeconds(60);

    /**
     * OS processes the test starts: the daemon's jar (a JVM starting), the commands it runs and
     * their output, one command of the CLI to its end, a browser showing a page.
     */
    public static final Duration PROCESS = Duration.ofSeconds(60);

    /**
     * A run that loads the machine on purpose: a stress test's hammering threads, a conformance
     * test's concurrent writer and reader, every row of a large table started or retired.
     */
    public static final Duration LOAD = Duration.ofSeconds(90);

    /**
     * Recovery from a fault the test injects: a database server stopped and started again, a node
     * killed or frozen, its keys failing over.
     */
    public static final Duration RECOVERY = Duration.ofSeconds(90);

    private Waits() {
    }
}
