package dev.supervisor.tests.jdbc;

import dev.supervisor.ProcessContext;
import dev.supervisor.Runner;

/**
 * The test process; its payload says how it behaves:
 * {@code run} (until stopped), {@code fail-once} (the first attempt throws after ready),
 * {@code retire} (deletes its own row by plain SQL, then returns).
 */
record Worker(String key, String payload, Runs runs, TestDatabase db) implements Runner {

    @Override
    public void run(ProcessContext context) throws Exception {
        runs.started(key);
        try {
            context.ready();
            switch (payload) {
                case "fail-once" -> {
                    if (context.attempt() == 1) {
                        throw new IllegalStateException("failing attempt 1 of " + key + " on purpose");
                    }
                }
                case "retire" -> {
                    db.sql("DELETE FROM supervisor_processes WHERE name = '" + key + "'"); // test keys are plain words
                    return;
                }
                default -> { }
            }
            context.awaitStop();
        } finally {
            runs.ended(key);
        }
    }
}
