package dev.supervisor.web;

import dev.supervisor.Supervisor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The status page's buttons, {@code POST api/processes/NAME/VERB}: each one call on the supervisor,
 * the same wherever the page is served.
 */
public enum PageAction {
    /** {@link Supervisor#restart}: a graceful stop and an immediate start, not a failure. */
    RESTART("restart", "restarted") {
        @Override
        public <K> void apply(Supervisor<K, ?> supervisor, K key) {
            supervisor.restart(key);
        }
    },
    /** {@link Supervisor#pause}: the process is stopped and stays stopped; the row stays. */
    STOP("stop", "stopped") {
        @Override
        public <K> void apply(Supervisor<K, ?> supervisor, K key) {
            supervisor.pause(key);
        }
    },
    /** {@link Supervisor#resume}: a paused row's process starts again. */
    START("start", "starting") {
        @Override
        public <K> void apply(Supervisor<K, ?> supervisor, K key) {
            supervisor.resume(key);
        }
    };

    private final String verb;
    private final String result;

    PageAction(String verb, String result) {
        this.verb = verb;
        this.result = result;
    }

    /** The last segment of its path: {@code restart}, {@code stop} or {@code start}. */
    public String verb() {
        return verb;
    }

    /** What it did, as its answer says: {@code restarted}, {@code stopped} or {@code starting}. */
    public String result() {
        return result;
    }

    /** Does it to key; throws what the supervisor's method throws. */
    public abstract <K> void apply(Supervisor<K, ?> supervisor, K key);

    /** The answer once it is done: {@code {"name": NAME, "action": VERB, "result": RESULT}}. */
    public Map<String, Object> done(String name) {
        Map<String, Object> done = new LinkedHashMap<>();
        done.put("name", name);
        done.put("action", verb);
        done.put("result", result);
        return done;
    }

    /** The action whose verb is {@code verb}, or empty. */
    public static Optional<PageAction> named(String verb) {
        return Arrays.stream(values()).filter(a -> a.verb.equals(verb)).findFirst();
    }
}
