package dev.supervisor.tests.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervisor.KeyState;
import dev.supervisor.ProcessStatus;
import dev.supervisor.Supervisor;
import dev.supervisor.SupervisorListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Groups defined by plain SQL, as a user writes them (docs/groups.md): a row of
 * {@code supervisor_groups} and the members' {@code group_name} and {@code group_position}. A
 * member whose first attempt fails ({@code fail-once}) is inserted last, once the others run, so
 * the group's round is the only thing that stops and starts them. One small subclass per database.
 */
abstract class GroupsConformanceTest extends SupervisorOnDatabase {

    private final Transitions transitions = new Transitions();

    @BeforeEach
    void emptyGroups() {
        db().sql("DELETE FROM supervisor_groups");
    }

    @Test
    void oneForAllDefinedBySqlStopsInReverseOrderAndStartsInOrder() {
        // docs: sql-one-for-all
        db().sql("INSERT INTO supervisor_groups (name, strategy, max_restarts, period_ms) VALUES ('pipeline', 'ONE_FOR_ALL', 3, 60000)",
                "INSERT INTO supervisor_processes (name, payload, group_name, group_position) VALUES ('reader', 'run', 'pipeline', 1)",
                "INSERT INTO supervisor_processes (name, payload, group_name, group_position) VALUES ('parser', 'run', 'pipeline', 2)");
        // docs: end
        Supervisor<String, Worker> supervisor = launch(table(), transitions);
        transitions.awaitThenClear("reader RUNNING", "parser RUNNING");

        db().sql("INSERT INTO supervisor_processes (name, payload, group_name, group_position) VALUES ('writer', 'fail-once', 'pipeline', 3)");

        await().atMost(WAIT).until(() -> runs.starts("reader") == 2 && runs.starts("parser") == 2 && runs.starts("writer") == 2
                && running(supervisor, "writer"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(transitions.moves()).containsExactly(
                "writer STARTING", "writer RUNNING", "writer STOPPED",
                "group pipeline [reader, parser, writer]",
                "parser STOPPING", "parser STOPPED", "reader STOPPING", "reader STOPPED",
                "reader STARTING", "reader RUNNING", "parser STARTING", "parser RUNNING", "writer STARTING", "writer RUNNING"));
        assertThat(runs.mostAtOnceOfAnyKey()).isEqualTo(1);
    }

    @Test
    void restForOneDefinedBySqlLeavesTheMembersBeforeTheFailedOneAlone() {
        db().sql("INSERT INTO supervisor_groups (name, strategy, max_restarts, period_ms) VALUES ('chain', 'REST_FOR_ONE', 3, 60000)",
                "INSERT INTO supervisor_processes (name, payload, group_name, group_position) VALUES ('first', 'run', 'chain', 10)",
                "INSERT INTO supervisor_processes (name, payload, group_name, group_position) VALUES ('third', 'run', 'chain', 30)");
        Supervisor<String, Worker> supervisor = launch(table(), transitions);
        transitions.awaitThenClear("first RUNNING", "third RUNNING");

        db().sql("INSERT INTO supervisor_processes (name, payload, group_name, group_position) VALUES ('second', 'fail-once', 'chain', 20)");

        await().atMost(WAIT).until(() -> runs.starts("second") == 2 && runs.starts("third") == 2 && running(supervisor, "third"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(transitions.moves()).containsExactly(
                "second STARTING", "second RUNNING", "second STOPPED",
                "group chain [second, third]",
                "third STOPPING", "third STOPPED",
                "second STARTING", "second RUNNING", "third STARTING", "third RUNNING"));
        assertThat(runs.starts("first")).isEqualTo(1);
    }

    @Test
    void aGroupWithoutRestartsLeftIsGivenUpAndDeletingItsLastMemberRetiresIt() {
        db().sql("INSERT INTO supervisor_groups (name, strategy, max_restarts, period_ms) VALUES ('fragile', 'ONE_FOR_ALL', 0, 60000)",
                "INSERT INTO supervisor_processes (name, payload, group_name) VALUES ('steady', 'run', 'fragile')");
        Supervisor<String, Worker> supervisor = launch(table(), transitions);
        await().atMost(WAIT).until(() -> running(supervisor, "steady"));

        db().sql("INSERT INTO supervisor_processes (name, payload, group_name) VALUES ('shaky', 'fail-once', 'fragile')");

        await().atMost(WAIT).until(() -> state(supervisor, "steady") == KeyState.GIVEN_UP
                && state(supervisor, "shaky") == KeyState.GIVEN_UP);
        assertThat(supervisor.group("fragile").orElseThrow().givenUp()).isTrue();
        assertThat(supervisor.keys()).isEmpty();

        db().sql("DELETE FROM supervisor_processes WHERE group_name = 'fragile'");

        await().atMost(WAIT).until(() -> transitions.moves().contains("group fragile retired"));
        assertThat(supervisor.group("fragile")).isEmpty();
    }

    @Test
    void aBadStrategyIsRefusedByTheDatabase() {
        assertThat(db().number("SELECT COUNT(*) FROM supervisor_groups")).isZero();
        assertThatThrownBy(() -> db().sql("INSERT INTO supervisor_groups (name, strategy) VALUES ('typo', 'ONE_FOR_EVERYONE')"))
                .satisfies(e -> assertThat(rootMessage(e)).containsIgnoringCase("supervisor_groups_strategy"));
        assertThat(db().number("SELECT COUNT(*) FROM supervisor_groups")).isZero();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static KeyState state(Supervisor<String, Worker> supervisor, String key) {
        return supervisor.status(key).map(ProcessStatus::state).orElse(null);
    }

    /** Every state a key moves to and every group event, in the order this listener received them. */
    private static final class Transitions implements SupervisorListener<String> {
        private final List<String> moves = new CopyOnWriteArrayList<>();

        @Override
        public void statusChanged(ProcessStatus<String> status) {
            moves.add(status.key() + " " + status.state());
        }

        @Override
        public void groupRestarting(String group, String exited, List<String> members) {
            moves.add("group " + group + " " + members);
        }

        @Override
        public void groupRetired(String group) {
            moves.add("group " + group + " retired");
        }

        List<String> moves() {
            return List.copyOf(moves);
        }

        /** Waits until this listener received every one of {@code moves}, then forgets everything so far. */
        void awaitThenClear(String... expected) {
            await().atMost(WAIT).until(() -> moves.containsAll(List.of(expected)));
            moves.clear();
        }
    }
}
