package dev.supervisor;

import static dev.supervisor.PolicyDoubles.exact;
import static dev.supervisor.Waiting.waiting;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.PolicyDoubles.Rig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Supervision groups on a {@link dev.supervisor.testing.ManualClock}: the exact stop and start
 * order of {@link GroupStrategy#ONE_FOR_ALL} and {@link GroupStrategy#REST_FOR_ONE} (the whole
 * listener history), the restart intensity, the group's retirement, and what pause, restart and
 * row updates do to a member.
 */
@Timeout(30)
class GroupTest {

    private static final RestartPolicy ONE_SECOND = exact(ofSeconds(1), ofMinutes(1));

    // docs: group-builder
    static Supervisor.Builder<String, Runner> withGroups(Supervisor.Builder<String, Runner> builder) {
        return builder
                .group("pipeline", GroupPolicy.oneForAll(3, Duration.ofMinutes(1)))
                .group("chain", GroupPolicy.restForOne(3, Duration.ofMinutes(1)));
    }
    // docs: end

    /** A group rig: its own listener records every status and group event in one order. */
    private static Rig rig(Events events) {
        return new Rig(builder -> withGroups(builder.restartPolicy(ONE_SECOND).listener(events))).launch();
    }

    /** Puts members a, b, c (positions 1, 2, 3) in group {@code group}, and waits until all run. */
    private static List<Member> members(Rig rig, String group) {
        List<Member> members = new ArrayList<>();
        long position = 1;
        for (String key : List.of("a", "b", "c")) {
            Member member = new Member(key);
            members.add(member);
            rig.table.put(key, member);
            rig.table.setGroup(key, group, position++);
            rig.awaitState(key, KeyState.RUNNING, 1);
            // the put may have started it before the group was set: wait until the supervisor knows it as a member
            waiting().until(() -> rig.supervisor.group(group).map(status -> status.members().contains(key)).orElse(false));
        }
        return members;
    }

    @Test
    void oneForAllStopsTheOthersInReverseOrderThenStartsAllInOrder() {
        Events events = new Events();
        try (Rig rig = rig(events)) {
            List<Member> m = members(rig, "pipeline");
            events.awaitThenClear(rig.supervisor);

            m.get(1).crash();
            rig.awaitState("c", KeyState.RUNNING, 2);

            waiting().untilAsserted(() -> assertThat(events.lines()).containsExactly(
                    "b STOPPED 1 FAILED",
                    "group pipeline restarting [a, b, c] after b",
                    "c STOPPING 1", "c STOPPED 1 STOPPED(GROUP)",
                    "a STOPPING 1", "a STOPPED 1 STOPPED(GROUP)",
                    "a STARTING 2", "a RUNNING 2",
                    "b STARTING 2", "b RUNNING 2",
                    "c STARTING 2", "c RUNNING 2"));
            assertThat(rig.supervisor.group("pipeline").orElseThrow().recentRestarts()).isEqualTo(1);
        }
    }

    @Test
    void restForOneRestartsTheMemberAndThoseAfterItOnly() {
        Events events = new Events();
        try (Rig rig = rig(events)) {
            List<Member> m = members(rig, "chain");
            events.awaitThenClear(rig.supervisor);

            m.get(1).crash();
            rig.awaitState("c", KeyState.RUNNING, 2);

            waiting().untilAsserted(() -> assertThat(events.lines()).containsExactly(
                    "b STOPPED 1 FAILED",
                    "group chain restarting [b, c] after b",
                    "c STOPPING 1", "c STOPPED 1 STOPPED(GROUP)",
                    "b STARTING 2", "b RUNNING 2",
                    "c STARTING 2", "c RUNNING 2"));
            assertThat(rig.status("a").attempt()).as("a member before the one that ended is left alone").isEqualTo(1);
        }
    }

    @Test
    void theLastMemberRestartsOnlyItselfUnderRestForOne() {
        Events events = new Events();
        try (Rig rig = rig(events)) {
            List<Member> m = members(rig, "chain");
            events.awaitThenClear(rig.supervisor);

            m.get(2).crash();
            rig.awaitState("c", KeyState.RUNNING, 2);

            waiting().untilAsserted(() -> assertThat(events.lines()).containsExactly(
                    "c STOPPED 1 FAILED",
                    "group chain restarting [c] after c",
                    "c STARTING 2", "c RUNNING 2"));
        }
    }

    @Test
    void exactlyMaxRestartsWithinThePeriodAreAllowedAndTheNextGivesTheGroupUp() {
        Events events = new Events();
        try (Rig rig = rig(events)) {
            List<Member> m = members(rig, "pipeline");
            for (int restart = 1; restart <= 3; restart++) { // oneForAll(3, 1 min): three restarts are allowed
                m.get(0).crash();
                rig.awaitState("c", KeyState.RUNNING, restart + 1);
                rig.clock.advance(ofSeconds(19)); // all within the minute
            }
            events.awaitThenClear(rig.supervisor);

            m.get(0).crash(); // the 4th within 57 s: more than 3

            waiting().untilAsserted(() -> assertThat(events.lines()).containsExactly(
                    "a STOPPED 4 FAILED",
                    "c STOPPING 4", "c STOPPED 4 STOPPED(GROUP)",
                    "b STOPPING 4", "b STOPPED 4 STOPPED(GROUP)",
                    "a GIVEN_UP 4 FAILED", "b GIVEN_UP 4 STOPPED(GROUP)", "c GIVEN_UP 4 STOPPED(GROUP)",
                    "group pipeline given up [a, b, c]"));
            assertThat(rig.supervisor.group("pipeline").orElseThrow().givenUp()).isTrue();
            assertThat(rig.supervisor.keys()).isEmpty();

            rig.supervisor.reset("b"); // a reset of any member brings the whole group back
            rig.awaitState("a", KeyState.RUNNING, 5);
            rig.awaitState("b", KeyState.RUNNING, 5);
            rig.awaitState("c", KeyState.RUNNING, 5);
            assertThat(rig.supervisor.group("pipeline").orElseThrow().givenUp()).isFalse();
        }
    }

    @Test
    void restartsOlderThanThePeriodNoLongerCount() {
        Events events = new Events();
        try (Rig rig = rig(events)) {
            List<Member> m = members(rig, "pipeline");
            for (int restart = 1; restart <= 6; restart++) {
                m.get(2).crash();
                rig.awaitState("c", KeyState.RUNNING, restart + 1);
                rig.clock.advance(ofSeconds(21)); // a restart every 21 s: never more than 3 within a minute
            }
            assertThat(rig.supervisor.group("pipeline").orElseThrow().givenUp()).isFalse();
            assertThat(events.lines()).doesNotContain("group pipeline given up [a, b, c]");
        }
    }

    @Test
    void deletingTheLastMemberRetiresTheGroup() {
        Events events = new Events();
        try (Rig rig = rig(events)) {
            members(rig, "pipeline");
            rig.deleteRow("a");
            rig.deleteRow("c");
            assertThat(rig.supervisor.group("pipeline").orElseThrow().members()).containsExactly("b");
            assertThat(events.lines()).doesNotContain("group pipeline retired");

            rig.deleteRow("b");

            waiting().untilAsserted(() -> assertThat(events.lines()).endsWith("b STOPPED 1 STOPPED", "group pipeline retired"));
            assertThat(rig.supervisor.group("pipeline")).isEmpty();
        }
    }

    @Test
    void aRequestedRestartOfAMemberIsNotAFailureAndDoesNotCascade() {
        Events events = new Events();
        try (Rig rig = rig(events)) {
            members(rig, "pipeline");
            events.awaitThenClear(rig.supervisor);

            rig.supervisor.restart("b");

            waiting().untilAsserted(() -> assertThat(events.lines()).containsExactly(
                    "b STOPPING 1", "b STOPPED 1 STOPPED(RESTART)", "b STARTING 2", "b RUNNING 2"));
            assertThat(rig.status("a").attempt()).isEqualTo(1);
            assertThat(rig.supervisor.group("pipeline").orElseThrow().recentRestarts()).isZero();
        }
    }

    @Test
    void anUpdatedMemberRowRestartsThatMemberAlone() {
        Events events = new Events();
        try (Rig rig = rig(events)) {
            members(rig, "pipeline");
            events.awaitThenClear(rig.supervisor);

            rig.table.put("c", new Member("c2"));

            waiting().untilAsserted(() -> assertThat(events.lines()).containsExactly(
                    "c STOPPING 1", "c STOPPED 1 STOPPED(ROW_UPDATED)", "c STARTING 2", "c RUNNING 2"));
        }
    }

    @Test
    void aPausedMemberIsLeftOutOfGroupRestartsAndResumesOnItsOwn() {
        Events events = new Events();
        try (Rig rig = rig(events)) {
            List<Member> m = members(rig, "pipeline");
            rig.supervisor.pause("b");
            rig.awaitState("b", KeyState.PAUSED, 1);
            events.awaitThenClear(rig.supervisor);

            m.get(2).crash();
            rig.awaitState("a", KeyState.RUNNING, 2);
            rig.awaitState("c", KeyState.RUNNING, 2);

            waiting().untilAsserted(() -> assertThat(events.lines()).containsExactly(
                    "c STOPPED 1 FAILED",
                    "group pipeline restarting [a, b, c] after c",
                    "a STOPPING 1", "a STOPPED 1 STOPPED(GROUP)",
                    "a STARTING 2", "a RUNNING 2",
                    "c STARTING 2", "c RUNNING 2"));
            assertThat(rig.status("b").state()).as("a pause is not undone by its group").isEqualTo(KeyState.PAUSED);

            rig.supervisor.resume("b");
            rig.awaitState("b", KeyState.RUNNING, 2);
            assertThat(rig.status("a").attempt()).as("resuming a member starts it alone").isEqualTo(2);
        }
    }

    @Test
    void keysWithoutAPolicyForTheirGroupRestartOnTheirOwn() {
        try (Rig rig = rig(new Events())) {
            List<Member> m = members(rig, "unconfigured");
            m.get(1).crash();
            ProcessStatus<String> backoff = rig.awaitBackoff("b", 1);
            rig.advanceTo(backoff.nextAttemptAt().orElseThrow());
            rig.awaitState("b", KeyState.RUNNING, 2);
            assertThat(rig.status("a").attempt()).isEqualTo(1);
            assertThat(rig.status("c").attempt()).isEqualTo(1);
        }
    }

    @Test
    void theTablesPolicyAppliesWhenTheBuilderHasNone() {
        Events events = new Events();
        try (Rig rig = rig(events)) {
            rig.table.putGroupPolicy("stored", GroupPolicy.restForOne(0, ofMinutes(1)));
            List<Member> m = members(rig, "stored");
            events.awaitThenClear(rig.supervisor);

            m.get(1).crash(); // intensity 0: the first exit gives up

            waiting().untilAsserted(() -> assertThat(events.lines()).endsWith("group stored given up [a, b, c]"));
            assertThat(rig.status("a").state()).isEqualTo(KeyState.GIVEN_UP);
        }
    }

    // ------------------------------------------------------------------------------------ doubles

    /** Becomes ready and runs until stopped; {@link #crash} makes the running attempt throw. */
    static final class Member implements Runner {
        private final String name;
        private volatile Thread thread;
        private volatile boolean crashing;

        Member(String name) {
            this.name = name;
        }

        @Override
        public void run(ProcessContext context) throws Exception {
            thread = Thread.currentThread();
            context.ready();
            try {
                context.awaitStop();
            } catch (InterruptedException e) {
                if (crashing) {
                    crashing = false;
                    throw new Runners.Boom(name + " crashed");
                }
                throw e;
            }
        }

        /** Makes the running attempt throw (it is RUNNING: the test waited for it). */
        void crash() {
            crashing = true;
            thread.interrupt();
        }

        @Override
        public String toString() {
            return "Member[" + name + "]";
        }
    }

    /** Every status and group event, in the one order this listener received them, as short lines. */
    static final class Events implements SupervisorListener<String> {
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final Map<String, ProcessStatus<String>> latest = new ConcurrentHashMap<>();

        @Override
        public void statusChanged(ProcessStatus<String> status) {
            String exit = status.state().hasProcess() ? "" : status.lastExit()
                    .map(e -> " " + e.kind() + e.stopCause().map(c -> "(" + c + ")").orElse("")).orElse("");
            lines.add(status.key() + " " + status.state() + " " + status.attempt() + exit);
            latest.put(status.key(), status);
        }

        @Override
        public void groupRestarting(String group, String exited, List<String> members) {
            lines.add("group " + group + " restarting " + members + " after " + exited);
        }

        @Override
        public void groupGivenUp(String group, List<String> members) {
            lines.add("group " + group + " given up " + members);
        }

        @Override
        public void groupRetired(String group) {
            lines.add("group " + group + " retired");
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        /** Waits until this listener has seen every key's current status, then forgets every line so far. */
        void awaitThenClear(Supervisor<String, ?> supervisor) {
            waiting().untilAsserted(() -> assertThat(latest).as("the listener has caught up").isEqualTo(supervisor.statuses()));
            lines.clear();
        }
    }
}
