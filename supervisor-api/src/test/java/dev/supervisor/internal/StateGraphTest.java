package dev.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervisor.KeyState;
import dev.supervisor.ProcessState;
import dev.supervisor.Runner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The state graphs: each javadoc diagram says exactly the edges of the table the engine enforces,
 * and a move off the graph fails loudly (assertions are enabled in tests).
 */
class StateGraphTest {
    private static final Path MAIN = Path.of("src/main/java/dev/supervisor");
    /** One edge line of a diagram: an optional source state, an arrow, the target state, then a comment. */
    private static final Pattern EDGE = Pattern.compile("^\\s*\\*\\s+(?:([A-Z_]+)\\s+)?-&gt;\\s+([A-Z_]+)\\b.*$");

    @Test
    void keyStateDiagramIsItsTable() throws IOException {
        assertDiagramMatches(MAIN.resolve("KeyState.java"), KeyState.class, KeyState::canBecome);
    }

    @Test
    void processStateDiagramIsItsTable() throws IOException {
        assertDiagramMatches(MAIN.resolve("ProcessState.java"), ProcessState.class, ProcessState::canBecome);
    }

    @Test
    void lifecycleDiagramIsItsTable() throws IOException {
        assertDiagramMatches(MAIN.resolve("internal/Lifecycle.java"), Lifecycle.State.class, Lifecycle.State::canBecome);
    }

    @Test
    void theDiagramParserSeesAMissingEdge() {
        String source = """
                /**
                 * <pre>
                 *   STARTING -&gt; RUNNING  (ready)
                 *   RUNNING  -&gt; STOPPING (stop)
                 *   STOPPING -&gt; STOPPED  (ended)
                 * </pre>
                 */
                """;
        assertThat(edgesOf(source, ProcessState.class)).isNotEqualTo(edgesOf(ProcessState.class, ProcessState::canBecome));
    }

    @Test
    void aKeyMovingOffItsGraphFailsLoudly() {
        KeySlot<String, Runner> slot = new KeySlot<>("k", 0);
        slot.moveTo(KeyState.STARTING);
        slot.moveTo(KeyState.RUNNING);
        assertThatThrownBy(() -> slot.moveTo(KeyState.BACKOFF)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("key k: RUNNING -> BACKOFF");
    }

    @Test
    void anAttemptMovingOffItsGraphFailsLoudly() {
        KeySlot<String, Runner> slot = new KeySlot<>("k", 0);
        ProcessAttempt<String, Runner> attempt = new ProcessAttempt<>(null, slot, context -> { }, 1, 0, Optional.empty(),
                dev.supervisor.Clock.system());
        attempt.transition(ProcessState.STARTING, ProcessState.RUNNING);
        assertThatThrownBy(() -> attempt.transition(ProcessState.RUNNING, ProcessState.STARTING))
                .isInstanceOf(AssertionError.class).hasMessageContaining("RUNNING -> STARTING");
        assertThatThrownBy(() -> attempt.transition(ProcessState.STOPPING, ProcessState.STOPPED))
                .isInstanceOf(AssertionError.class).hasMessageContaining("while RUNNING");
    }

    @Test
    void theLifecycleMovesOnlyForward() {
        Lifecycle lifecycle = new Lifecycle("test");
        lifecycle.beginLaunch();
        assertThatThrownBy(lifecycle::finishClose).isInstanceOf(AssertionError.class)
                .hasMessageContaining("LAUNCHING -> CLOSED");
    }

    @Test
    void aViolationThatEndsABackgroundThreadIsRethrownWhenTheSupervisorCloses() {
        ThreadTracker threads = new ThreadTracker();
        threads.start("buggy", () -> {
            throw new StateGraph.Violation("illegal state transition: key k: RUNNING -> BACKOFF");
        });
        threads.awaitAll();
        assertThatThrownBy(threads::rethrowViolations).isInstanceOf(AssertionError.class)
                .hasMessageContaining("RUNNING -> BACKOFF");
        threads.rethrowViolations(); // reported once
    }

    private static <S extends Enum<S>> void assertDiagramMatches(Path file, Class<S> states, BiPredicate<S, S> table)
            throws IOException {
        assertThat(edgesOf(Files.readString(file), states)).as("the diagram in " + file)
                .isEqualTo(edgesOf(states, table));
    }

    /** The edges of the first diagram ({@code <pre>} block of edge lines) in source. */
    private static <S extends Enum<S>> Map<S, Set<S>> edgesOf(String source, Class<S> states) {
        Map<S, Set<S>> edges = empty(states);
        String diagram = source.substring(source.indexOf("<pre>"), source.indexOf("</pre>"));
        S from = null;
        for (String line : diagram.lines().skip(1).filter(line -> !line.isBlank() && !line.strip().equals("*")).toList()) {
            Matcher edge = EDGE.matcher(line);
            assertThat(edge.matches()).as("a diagram line of the form 'FROM -> TO (why)': " + line).isTrue();
            if (edge.group(1) != null) {
                from = Enum.valueOf(states, edge.group(1));
            }
            assertThat(from).as("a line continuing no state: " + line).isNotNull();
            edges.get(from).add(Enum.valueOf(states, edge.group(2)));
        }
        return edges;
    }

    private static <S extends Enum<S>> Map<S, Set<S>> edgesOf(Class<S> states, BiPredicate<S, S> table) {
        Map<S, Set<S>> edges = empty(states);
        for (S from : states.getEnumConstants()) {
            for (S to : states.getEnumConstants()) {
                if (table.test(from, to)) {
                    edges.get(from).add(to);
                }
            }
        }
        return edges;
    }

    private static <S extends Enum<S>> Map<S, Set<S>> empty(Class<S> states) {
        Map<S, Set<S>> edges = new EnumMap<>(states);
        for (S state : states.getEnumConstants()) {
            edges.put(state, EnumSet.noneOf(states));
        }
        return edges;
    }
}
