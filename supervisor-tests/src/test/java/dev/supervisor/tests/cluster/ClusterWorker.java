package dev.supervisor.tests.cluster;

import dev.supervisor.ProcessContext;
import dev.supervisor.Runner;

/**
 * The test process of the cluster tests: records its start and end in this JVM's
 * {@link Activity} (if any) and in the database's {@link HistoryLog} (if any), then runs until
 * stopped, making {@link FencedWrites} meanwhile (if any). The logged interval encloses the whole time the worker counts as running.
 */
record ClusterWorker(String key, String node, Activity activity, HistoryLog history, FencedWrites fenced) implements Runner {

    ClusterWorker(String key, String node, Activity activity, HistoryLog history) {
        this(key, node, activity, history, null);
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
        } finally {
            if (activity != null) {
                activity.ended(key, node);
            }
            if (history != null) {
                history.ended(id);
            }
        }
    }
}
