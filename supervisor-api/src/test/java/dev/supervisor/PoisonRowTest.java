package dev.supervisor;

import static dev.supervisor.Waiting.waiting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervisor.Runners.FailsInstantly;
import dev.supervisor.Runners.RunsUntilStopped;
import dev.supervisor.testing.ManualClock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A row whose decoder throws anything short of a virtual-machine failure fails only that row:
 * launch() returns, every good row starts, and the pass reports the poison rows.
 */
@Timeout(30)
class PoisonRowTest {

    /** A table whose rows are decoded by calling a supplier, on every read; the suppliers may throw anything. */
    private static final class DecodingTable implements Table<String, Runner> {
        private final Map<String, Supplier<Runner>> rows = new LinkedHashMap<>();

        DecodingTable row(String key, Supplier<Runner> decoder) {
            rows.put(key, decoder);
            return this;
        }

        @Override
        public Optional<Runner> get(String key) {
            Supplier<Runner> decoder = rows.get(key);
            return decoder == null ? Optional.empty() : Optional.of(decoder.get());
        }

        @Override
        public Cursor<String, Runner> cursor() {
            Iterator<Map.Entry<String, Supplier<Runner>>> iterator = rows.entrySet().iterator();
            return new Cursor<>() {
                private Map.Entry<String, Supplier<Runner>> current;

                @Override
                public boolean next() {
                    current = iterator.hasNext() ? iterator.next() : null;
                    return current != null;
                }

                @Override
                public String key() {
                    return current.getKey();
                }

                @Override
                public Runner value() {
                    return current.getValue().get();
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private static Supplier<Runner> good(String key) {
        return () -> new RunsUntilStopped(key);
    }

    private static Supplier<Runner> throwing(Throwable error) {
        return () -> {
            throw sneaky(error);
        };
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable error) throws T {
        throw (T) error;
    }

    @Test
    void aDecoderThrowingErrorsFailsOnlyItsRowsAndLaunchStartsEveryGoodRow() {
        DecodingTable table = new DecodingTable()
                .row("good-1", good("good-1"))
                .row("stack", throwing(new StackOverflowError("nested too deep")))
                .row("good-2", good("good-2"))
                .row("linkage", throwing(new NoClassDefFoundError("com/example/Missing")))
                .row("error", throwing(new AssertionError("a decoder's own Error")))
                .row("checked", throwing(new java.io.IOException("a checked exception, thrown sneakily")))
                .row("runtime", throwing(new IllegalArgumentException("not a TableException")))
                .row("good-3", good("good-3"));

        try (Supervisor<String, Runner> supervisor = Supervisor.builder(table).build()) {
            supervisor.launch();

            assertThat(supervisor.keys()).containsExactlyInAnyOrder("good-1", "good-2", "good-3");
            PassReport<String> pass = supervisor.lastPass().orElseThrow();
            assertThat(pass.complete()).isTrue();
            assertThat(pass.rowsSeen()).isEqualTo(8);
            assertThat(pass.started()).isEqualTo(3);
            assertThat(pass.skipped()).extracting(PassReport.SkippedRow::key)
                    .containsExactly("stack", "linkage", "error", "checked", "runtime");
            assertThat(pass.skipped()).extracting(row -> row.error().getClass().getSimpleName())
                    .containsExactly("StackOverflowError", "NoClassDefFoundError", "AssertionError", "IOException",
                            "IllegalArgumentException");
            for (String key : new String[] {"good-1", "good-2", "good-3"}) {
                waiting().until(() -> supervisor.status(key).orElseThrow().state() == KeyState.RUNNING);
            }
        }
    }

    @Test
    void aRowThatStopsDecodingAfterItsProcessFailedIsTreatedAsPresentAndRestarted() {
        AtomicInteger reads = new AtomicInteger();
        DecodingTable table = new DecodingTable().row("k", () -> {
            if (reads.incrementAndGet() > 1) {
                throw new StackOverflowError("the row no longer decodes");
            }
            return new FailsInstantly();
        });
        try (Supervisor<String, Runner> supervisor = Supervisor.builder(table).clock(new ManualClock()).build()) {
            supervisor.launch();

            // the exit's decision reads the row, which throws: the key must still get its restart
            waiting().until(() -> supervisor.status("k").map(ProcessStatus::state).orElse(null), KeyState.BACKOFF::equals);
            assertThat(reads.get()).isGreaterThan(1);
        }
    }

    @Test
    void aVirtualMachineErrorOtherThanStackOverflowPropagates() {
        DecodingTable table = new DecodingTable()
                .row("vm", throwing(new InternalError("the JVM is broken")));
        Supervisor<String, Runner> supervisor = Supervisor.builder(table).build();
        try {
            assertThatThrownBy(supervisor::launch).isInstanceOf(InternalError.class).hasMessage("the JVM is broken");
        } finally {
            supervisor.close();
        }
    }
}
