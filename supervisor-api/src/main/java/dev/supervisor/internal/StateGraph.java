package dev.supervisor.internal;

import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * How a move along one of the supervisor's state graphs ({@link dev.supervisor.KeyState},
 * {@link dev.supervisor.ProcessState}, {@link Lifecycle.State}) is checked: a move the graph does
 * not have is a bug in the engine. With assertions enabled (as in every test run) it throws a
 * {@link Violation}; one that ends a background thread of the supervisor is kept by its
 * {@link ThreadTracker} and thrown again by {@code close()}, so a test fails even when the bug
 * struck off its own thread. In production it is logged at ERROR and the move is made anyway, so
 * that the bookkeeping keeps following what really happened.
 */
final class StateGraph {
    private static final boolean ASSERTING = assertionsEnabled();

    private StateGraph() {
    }

    /** A move its graph does not have. Never caught by the engine. */
    static final class Violation extends AssertionError {
        private static final long serialVersionUID = 1L;

        Violation(String message) {
            super(message);
        }
    }

    /**
     * Checks a move; returns normally if it is {@code legal}.
     *
     * @param what says the move, e.g. "key k: STOPPING -> RUNNING"; built only when the move is illegal
     * @throws Violation if it is illegal and assertions are enabled
     */
    static void check(boolean legal, Logger log, Supplier<String> what) {
        if (legal) {
            return;
        }
        String message = "illegal state transition: " + what.get();
        if (ASSERTING) {
            throw new Violation(message);
        }
        log.error("{}; made anyway to follow what happened. This is a bug in the supervisor: please report it", message);
    }

    @SuppressWarnings("AssertWithSideEffects")
    private static boolean assertionsEnabled() {
        boolean enabled = false;
        assert enabled = true;
        return enabled;
    }
}
