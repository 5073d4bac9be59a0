package dev.supervisor.cli.process;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a command's environment is: the daemon's own, minus the database settings
 * ({@code SUPERVISOR_DB_*}: its password above all) and every variable named with
 * {@code run --unset-env}, plus the row's {@code env}, plus what the daemon tells each attempt
 * ({@code SUPERVISOR_PROCESS_NAME} and the others of {@link AttemptEnvironment}). Immutable.
 */
public final class ChildEnvironment {

    /** The prefix of the variables that configure the database; never passed on. */
    static final String DATABASE_PREFIX = "SUPERVISOR_DB_";

    private final Set<String> unset;

    /** @param unset the names given with {@code --unset-env} */
    public ChildEnvironment(List<String> unset) {
        this.unset = Set.copyOf(unset);
    }

    /**
     * Turns environment (a copy of the daemon's, as {@link ProcessBuilder} starts with) into the
     * command's.
     */
    void applyTo(Map<String, String> environment, Map<String, String> rowEnv, Map<String, String> attemptEnv) {
        environment.keySet().removeIf(name -> name.startsWith(DATABASE_PREFIX) || unset.contains(name));
        environment.putAll(rowEnv);
        environment.putAll(attemptEnv);
    }
}
