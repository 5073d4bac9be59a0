package dev.supervisor.tests.cluster;

import dev.supervisor.ProcessContext;
import dev.supervisor.Runner;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The test process of the cluster tests: records its start and end in this JVM's
 * {@link Activity} (if any) and in the database's {@link HistoryLog} (if any), then runs until
 * stopped, making {@link FencedWrites} meanwhile (if any). With a {@code slowStop}, a stop takes
 * it a random time up to that long (an interrupt does not cut it short), as a worker finishing
 * its current piece of work would. The logged interval encloses the whole time the worker counts
 * as running.
 */
record ClusterWorker(String key, String node, Activity activity, HistoryLog history, FencedWrites fenced, Duration slowStop)
        implements Runner {

    ClusterWorker(String key, String node, Activity activity, HistoryLog history) {
        this(key, node, activity, history, null, Duration.ZERO);
    }

    @Override
    public void run(ProcessContext context) throws Exception {
        long id = history == null ? -1 : history.started(key, node, context.epoch());
        if (activity != null) {
            activity.started(key, node, context.epoch());
        }
        try {
            context.ready();
            if (fenced != null) {
                fenced.loop(context, key, node);
            } else {
                context.awaitStop();
            }
            if (activity != null) {
                activity.stopSeen(key, node);
            }
            finishSlowly();
        } finally {
            if (activity != null) {
                activity.ended(key, node);
            }
            if (history != null) {
                history.ended(id);
            }
        }
    }

    /** Takes a random part of {@code slowStop} to finish, whatever interrupts come meanwhile (keeping them). */
    private void finishSlowly() {
        if (slowStop.isZero()) {
            return;
        }
        long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(slowStop.toNanos() + 1);
        boolean interrupted = Thread.interrupted();
        for (long left; (left = until - System.nanoTime()) > 0; ) {
            try {
                Thread.sleep(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
