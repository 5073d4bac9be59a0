package dev.supervisor.bench;

/** One of the five scenarios. */
interface Scenario {

    /** 1 to 5, as in the issue. */
    int number();

    /** A short name, e.g. "reconcile pass cost". */
    String title();

    /** "1 reconcile pass cost": the table's scenario column. */
    default String label() {
        return number() + " " + title();
    }

    /** Runs it on every store the run has, recording into {@code run.results()}. */
    void run(BenchRun run) throws Exception;
}
