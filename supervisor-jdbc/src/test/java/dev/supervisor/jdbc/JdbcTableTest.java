package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.supervisor.Cursor;
import dev.supervisor.TableException;
import dev.supervisor.testsupport.Waits;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tests that park threads at held connections are capped, so that a broken one fails instead of hanging the build. */
@Timeout(60)
class JdbcTableTest {

    private final H2Memory h2 = new H2Memory();

    @AfterEach
    void close() {
        h2.close();
    }

    private JdbcTable.Builder<String, String> builder() {
        return JdbcTable.builder(h2.database, row -> {
            if (row.payload().startsWith("bad")) {
                throw new IllegalArgumentException("cannot parse '" + row.payload() + "'");
            }
            return row.payload();
        });
    }

    @Test
    void putGetAndRemoveARow() {
        try (JdbcTable<String, String> table = builder().build()) {
            assertThat(table.get("a")).isEmpty();
            table.put("a", "first");
            assertThat(table.get("a")).contains("first");
            table.put("a", "second");
            assertThat(table.get("a")).contains("second");
            assertThat(table.remove("a")).isTrue();
            assertThat(table.remove("a")).isFalse();
            assertThat(table.get("a")).isEmpty();
        }
    }

    @Test
    void everyInsertAndUpdateTakesANewRevisionEvenFromPlainSql() {
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('a', 'x')");
        long first = h2.number("SELECT revision FROM supervisor_processes WHERE name = 'a'");
        h2.sql("UPDATE supervisor_processes SET payload = 'y' WHERE name = 'a'");
        long second = h2.number("SELECT revision FROM supervisor_processes WHERE name = 'a'");
        try (JdbcTable<String, String> table = builder().build()) {
            table.put("b", "z");
        }
        long third = h2.number("SELECT revision FROM supervisor_processes WHERE name = 'b'");
        assertThat(first).isLessThan(second);
        assertThat(second).isLessThan(third);
    }

    @Test
    void cursorReads10000RowsInKeyOrderOnePageAtATime() {
        h2.sql("INSERT INTO supervisor_processes (name, payload) SELECT 'k' || LPAD(CAST(X AS VARCHAR), 5, '0'), 'p' || X"
                + " FROM SYSTEM_RANGE(1, 10000)");
        try (JdbcTable<String, String> table = builder().pageSize(100).build()) {
            List<String> keys = new ArrayList<>();
            long pagesBefore = table.pagesRead();
            try (Cursor<String, String> cursor = table.cursor()) {
                assertThat(table.pagesRead()).as("nothing is read before next()").isEqualTo(pagesBefore);
                while (cursor.next()) {
                    keys.add(cursor.key());
                    // the cursor never reads ahead: at most the pages up to this row
                    assertThat(table.pagesRead() - pagesBefore).isEqualTo(keys.size() / 100 + (keys.size() % 100 == 0 ? 0 : 1));
                }
                assertThat(cursor.next()).isFalse();
            }
            assertThat(keys).hasSize(10_000).isSorted().doesNotHaveDuplicates();
            assertThat(keys.get(0)).isEqualTo("k00001");
            // 100 full pages, then one empty page says the end is reached
            assertThat(table.pagesRead() - pagesBefore).isEqualTo(101);
        }
    }

    @Test
    void aShortLastPageEndsTheCursorWithoutAnotherRead() {
        h2.sql("INSERT INTO supervisor_processes (name, payload) SELECT 'k' || X, 'p' FROM SYSTEM_RANGE(1, 250)");
        try (JdbcTable<String, String> table = builder().pageSize(100).build();
             Cursor<String, String> cursor = table.cursor()) {
            int rows = 0;
            while (cursor.next()) {
                rows++;
            }
            assertThat(rows).isEqualTo(250);
            assertThat(table.pagesRead()).isEqualTo(3);
        }
    }

    @Test
    void aCursorReadsAllItsPagesOnOneConnectionAndGivesItBackAfterTheLastPage() {
        h2.sql("INSERT INTO supervisor_processes (name, payload) SELECT 'k' || LPAD(CAST(X AS VARCHAR), 4, '0'), 'p'"
                + " FROM SYSTEM_RANGE(1, 1000)");
        SwitchableDataSource source = new SwitchableDataSource(h2.database.dataSource());
        HikariPoolMXBean pool = ((HikariDataSource) h2.database.dataSource()).getHikariPoolMXBean();
        try (JdbcTable<String, String> table = JdbcTable.builder(source, row -> row.payload())
                .dialect(Dialect.H2).pageSize(100).build()) {
            try (Cursor<String, String> cursor = table.cursor()) {
                assertThat(cursor.next()).isTrue();
                source.off(); // no connection from now on: the other nine pages come on the first page's
                int rows = 1;
                while (cursor.next()) {
                    rows++;
                }
                assertThat(rows).isEqualTo(1000);
                assertThat(pool.getActiveConnections()).as("given back after the last page, before close()").isZero();
            }
            source.on();
            try (Cursor<String, String> cursor = table.cursor()) {
                assertThat(cursor.next()).isTrue();
                assertThat(pool.getActiveConnections()).as("kept between pages").isEqualTo(1);
            }
            assertThat(pool.getActiveConnections()).as("given back by close()").isZero();
        }
    }

    /** With one turn, a scan that kept it between pages would block its own thread's next statement. */
    @Test
    void aCursorOfATableWithOneTurnLeavesItFreeBetweenPages() {
        h2.sql("INSERT INTO supervisor_processes (name, payload) SELECT 'k' || X, 'p' || X FROM SYSTEM_RANGE(1, 5)");
        try (JdbcTable<String, String> table = builder().maxConcurrentStatements(1).pageSize(2).build();
             Cursor<String, String> cursor = table.cursor()) {
            List<String> values = new ArrayList<>();
            while (cursor.next()) {
                values.add(table.get(cursor.key()).orElseThrow()); // a read between pages, as a pass may make
            }
            assertThat(values).containsExactly("p1", "p2", "p3", "p4", "p5");
        }
    }

    /** A scan keeps its turn between pages only while nobody waits for one. */
    @Test
    void aCursorGivesItsTurnToACallerWaitingForOneBetweenPages() throws Exception {
        h2.sql("INSERT INTO supervisor_processes (name, payload) SELECT 'k' || X, 'p' FROM SYSTEM_RANGE(1, 6)");
        SwitchableDataSource source = new SwitchableDataSource(h2.database.dataSource());
        try (JdbcTable<String, String> table = JdbcTable.builder(source, row -> row.payload())
                .dialect(Dialect.H2).maxConcurrentStatements(2).pageSize(2).build();
             Cursor<String, String> cursor = table.cursor()) {
            assertThat(cursor.next()).isTrue();    // the scan holds one turn and its connection
            CountDownLatch held = source.hold();
            Thread first = Thread.ofVirtual().start(() -> table.get("k1")); // takes the other turn, then waits at the gate
            await().atMost(Waits.DATABASE).until(() -> source.waiting.get() == 1);
            Thread second = Thread.ofVirtual().start(() -> table.get("k2")); // no turn left: waits for one
            await().atMost(Waits.DATABASE).until(() -> parked(second));

            assertThat(cursor.next()).isTrue();
            assertThat(cursor.next()).isTrue();    // the second page, read on the scan's connection; then the turn goes
            await().atMost(Waits.DATABASE).until(() -> source.waiting.get() == 2);

            held.countDown();
            int rows = 3;
            while (cursor.next()) {
                rows++;
            }
            assertThat(rows).isEqualTo(6);
            first.join(Waits.DATABASE);
            second.join(Waits.DATABASE);
        }
    }

    @Test
    void anUndecodablePayloadFailsOnlyItsOwnRow() {
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('a', 'fine'), ('b', 'bad json'), ('c', 'also fine')");
        try (JdbcTable<String, String> table = builder().build(); Cursor<String, String> cursor = table.cursor()) {
            Map<String, String> decoded = new TreeMap<>();
            List<TableException> failures = new ArrayList<>();
            while (cursor.next()) {
                try {
                    decoded.put(cursor.key(), cursor.value());
                } catch (TableException e) {
                    failures.add(e);
                }
            }
            assertThat(decoded).containsOnlyKeys("a", "c");
            assertThat(failures).singleElement().satisfies(e -> {
                assertThat(e.key()).isEqualTo("b");
                assertThat(e.getMessage()).contains("key b", "supervisor_processes", "cannot parse 'bad json'");
            });
            assertThatThrownBy(() -> table.get("b")).isInstanceOf(TableException.class).hasMessageContaining("key b");
        }
    }

    @Test
    void aDecoderReturningNullFailsItsRow() {
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('a', 'x')");
        try (JdbcTable<String, String> table = JdbcTable.builder(h2.database, row -> (String) null).build()) {
            assertThatThrownBy(() -> table.get("a")).isInstanceOf(TableException.class).hasMessageContaining("returned null");
        }
    }

    @Test
    void readsAUsersOwnTableWithOtherColumnsAndKeyType() {
        h2.sql("CREATE TABLE jobs (job_id VARCHAR(20) PRIMARY KEY, spec VARCHAR)",
                "INSERT INTO jobs VALUES ('7', 'seven'), ('42', 'forty-two')");
        KeyCodec<Integer> numbers = KeyCodec.of(String::valueOf, Integer::valueOf);
        try (JdbcTable<Integer, String> table = JdbcTable.builder(h2.database.dataSource(), numbers,
                        row -> row.key() + ":" + row.payload())
                .table("jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().build();
             Cursor<Integer, String> cursor = table.cursor()) {
            List<String> values = new ArrayList<>();
            while (cursor.next()) {
                values.add(cursor.value());
            }
            assertThat(values).containsExactly("42:forty-two", "7:seven"); // stored text order
            assertThat(table.get(7)).contains("7:seven");
            table.put(8, "eight");
            assertThat(h2.number("SELECT COUNT(*) FROM jobs")).isEqualTo(3);
        }
    }

    @Test
    void aMissingTableIsATableExceptionNamingIt() {
        try (JdbcTable<String, String> table = builder().table("no_such_table").build()) {
            assertThatThrownBy(() -> table.get("a"))
                    .isInstanceOf(TableException.class)
                    .hasMessageContaining("cannot read table no_such_table");
            assertThatThrownBy(() -> table.cursor().next())
                    .isInstanceOf(TableException.class)
                    .hasMessageContaining("no_such_table");
        }
    }

    @Test
    void aBurstOfCallersBorrowsAtMostMaxConcurrentStatementsConnections() throws Exception {
        SwitchableDataSource source = new SwitchableDataSource(h2.database.dataSource());
        h2.sql("INSERT INTO supervisor_processes (name, payload) VALUES ('a', 'x')");
        try (JdbcTable<String, String> table = JdbcTable.builder(source, row -> row.payload())
                .dialect(Dialect.H2).maxConcurrentStatements(3).build()) {
            CountDownLatch held = source.hold();
            List<Thread> callers = new ArrayList<>();
            AtomicInteger answered = new AtomicInteger();
            for (int i = 0; i < 50; i++) {
                callers.add(Thread.ofVirtual().start(() -> {
                    if (table.get("a").orElseThrow().equals("x")) {
                        answered.incrementAndGet();
                    }
                }));
            }
            // every caller is parked: 3 in getConnection, the rest waiting their turn before it
            await().atMost(Waits.DATABASE).until(() -> callers.stream().allMatch(JdbcTableTest::parked));
            assertThat(source.waiting).hasValue(3);

            held.countDown();
            for (Thread caller : callers) {
                caller.join(Waits.DATABASE);
            }
            assertThat(answered).hasValue(50);
        }
    }

    @Test
    void aCallerInterruptedWhileWaitingItsTurnGetsATableExceptionAndKeepsItsInterrupt() throws Exception {
        SwitchableDataSource source = new SwitchableDataSource(h2.database.dataSource());
        try (JdbcTable<String, String> table = JdbcTable.builder(source, row -> row.payload())
                .dialect(Dialect.H2).maxConcurrentStatements(1).build()) {
            CountDownLatch held = source.hold();
            Thread first = Thread.ofVirtual().start(() -> table.get("a"));
            await().atMost(Waits.DATABASE).until(() -> source.waiting.get() == 1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Thread second = Thread.ofVirtual().start(() -> {
                try {
                    table.get("a");
                } catch (TableException e) {
                    failure.set(e);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            await().atMost(Waits.DATABASE).until(() -> parked(second));
            second.interrupt();
            second.join(Waits.DATABASE);
            assertThat(failure.get()).isInstanceOf(TableException.class)
                    .hasMessageContaining("interrupted while waiting to read table supervisor_processes");
            assertThat(stillInterrupted).isTrue();
            held.countDown();
            first.join(Waits.DATABASE);
        }
    }

    @Test
    void theBoundDefaultsToTheSizeOfAHikariPool() {
        try (Database small = Database.builder(h2.url()).poolSize(4).migrate(false).open();
             JdbcTable<String, String> onPool = JdbcTable.builder(small, row -> row.payload()).build();
             JdbcTable<String, String> onPlainSource = JdbcTable.builder(new SwitchableDataSource(small.dataSource()),
                     row -> row.payload()).dialect(Dialect.H2).build()) {
            assertThat(onPool.maxConcurrentStatements()).isEqualTo(4);
            assertThat(onPlainSource.maxConcurrentStatements()).isEqualTo(JdbcTable.DEFAULT_MAX_CONCURRENT_STATEMENTS);
        }
        assertThatThrownBy(() -> builder().maxConcurrentStatements(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConcurrentStatements");
    }

    @Test
    void aCallerThatGetsNoTurnWithinThePoolsConnectionTimeoutGetsATableException() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        AtomicBoolean holding = new AtomicBoolean(); // from after build(), which reads the key column's type
        try (HikariDataSource pool = new HikariDataSource() {
                @Override
                public Connection getConnection() throws SQLException {
                    try {
                        if (holding.get()) {
                            held.await();
                        }
                    } catch (InterruptedException e) {
                        throw new SQLException(e);
                    }
                    return super.getConnection();
                }
            }) {
            pool.setJdbcUrl(h2.url());
            pool.setMaximumPoolSize(1);
            pool.setConnectionTimeout(250);
            JdbcTable<String, String> table = JdbcTable.builder(pool, row -> row.payload()).dialect(Dialect.H2).build();
            holding.set(true);
            assertThat(table.maxConcurrentStatements()).isEqualTo(1);
            Thread first = Thread.ofVirtual().start(() -> table.get("a")); // holds the only turn
            await().atMost(Waits.DATABASE).until(() -> parked(first));

            assertThatThrownBy(() -> table.get("b"))
                    .isInstanceOf(TableException.class)
                    .hasMessageContaining("cannot read table supervisor_processes: no turn within PT0.25S");

            held.countDown();
            assertThat(first.join(Waits.DATABASE)).isTrue();
            assertThat(table.get("b")).isEmpty();
        }
    }

    /** Whether thread is parked: waiting for its turn (with a timeout) or for a held connection. */
    private static boolean parked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }
}
