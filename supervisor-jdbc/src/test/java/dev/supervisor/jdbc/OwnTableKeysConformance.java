package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.supervisor.ChangeListener;
import dev.supervisor.Cursor;
import dev.supervisor.KeyState;
import dev.supervisor.PassReport;
import dev.supervisor.ProcessStatus;
import dev.supervisor.RowState;
import dev.supervisor.Runner;
import dev.supervisor.Subscription;
import dev.supervisor.Supervisor;
import dev.supervisor.SupervisorListener;
import dev.supervisor.Table;
import dev.supervisor.testing.ManualClock;
import dev.supervisor.testsupport.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A user's own table whose key column is {@code bigint} or {@code uuid}, read through
 * {@link KeyCodec#LONG} and {@link KeyCodec#UUID} across more than one page (300 rows, pages of
 * 256): the cursor, single reads and writes, and a supervisor running every row; and a codec that
 * does not match the column's type, refused at {@code build()}. Then, for both key types, the newer
 * paths: processes retiring through their context ({@code removeAll}), the changed rows by
 * revision and an incremental pass after plain-SQL writes, pause, resume and restart requests, and
 * the change signal's keys. One subclass per database.
 */
abstract class OwnTableKeysConformance {

    static final int ROWS = 300;
    static final Duration WAIT = Waits.DATABASE;
    static final Duration INTERVAL = Duration.ofMinutes(1);
    static final Duration RESYNC = Duration.ofMinutes(10);

    /** The migrated database under test. */
    abstract Database database();

    /** Runs statements on a connection of their own. */
    abstract void sql(String... statements);

    /** A query giving {@code ROWS} rows of (n, 'p' || n) for n = 1..ROWS. */
    abstract String numbers();

    /** A query giving {@code ROWS} rows of (a random UUID, 'p'). */
    abstract String uuids();

    /**
     * The statements that attach this database's change trigger (see docs/jdbc.md) to {@code table},
     * whose key column is {@code keyColumn}, in the schema where the supervisor's migrations ran.
     */
    abstract String[] changeTrigger(String table, String keyColumn);

    @Test
    void bigintKeysAreReadAcrossPagesInNumericOrderAndWritten() {
        sql("CREATE TABLE jobs (job_id BIGINT PRIMARY KEY, spec VARCHAR(100) NOT NULL)",
                "INSERT INTO jobs (job_id, spec) " + numbers());
        try (JdbcTable<Long, String> table = JdbcTable.builder(database(), KeyCodec.LONG, Row::payload)
                .table("jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().build()) {
            assertThat(keys(table)).containsExactlyElementsOf(LongStream.rangeClosed(1, ROWS).boxed().toList());
            assertThat(table.get(299L)).contains("p299");
            table.put(1000L, "new");
            assertThat(table.get(1000L)).contains("new");
            assertThat(table.remove(1L)).isTrue();
            assertThat(table.get(1L)).isEmpty();
        }
    }

    @Test
    void aSupervisorRunsEveryRowOfABigintKeyedTable() {
        sql("CREATE TABLE jobs (job_id BIGINT PRIMARY KEY, spec VARCHAR(100) NOT NULL)",
                "INSERT INTO jobs (job_id, spec) " + numbers());
        try (JdbcTable<Long, Runner> table = JdbcTable.builder(database(), KeyCodec.LONG, (Row<Long> row) -> (Runner) context -> {
                    context.ready();
                    context.awaitStop();
                }).table("jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().build();
             Supervisor<Long, Runner> supervisor = Supervisor.builder(table).reconcileInterval(Duration.ofHours(1)).build()) {
            supervisor.launch();
            await().atMost(Waits.DATABASE).until(() -> supervisor.keys().size() == ROWS);
            PassReport<Long> pass = supervisor.lastPass().orElseThrow();
            assertThat(pass.complete()).as("%s", pass.failure()).isTrue();
            assertThat(pass.rowsSeen()).isEqualTo(ROWS);
        }
    }

    @Test
    void uuidKeysAreReadAcrossPagesAndWritten() {
        sql("CREATE TABLE tasks (task_id UUID PRIMARY KEY, spec VARCHAR(100) NOT NULL)",
                "INSERT INTO tasks (task_id, spec) " + uuids());
        try (JdbcTable<UUID, String> table = JdbcTable.builder(database(), KeyCodec.UUID, Row::payload)
                .table("tasks").keyColumn("task_id").payloadColumn("spec").withoutRevisionColumn().build()) {
            List<UUID> keys = keys(table);
            assertThat(keys).hasSize(ROWS).doesNotHaveDuplicates();
            assertThat(table.get(keys.get(ROWS - 1))).contains("p");
            UUID added = UUID.randomUUID();
            table.put(added, "new");
            assertThat(table.get(added)).contains("new");
            assertThat(table.remove(keys.getFirst())).isTrue();
        }
    }

    @Test
    void aCodecThatDoesNotMatchTheKeyColumnIsRefusedAtBuild() {
        sql("CREATE TABLE jobs (job_id BIGINT PRIMARY KEY, spec VARCHAR(100) NOT NULL)",
                "CREATE TABLE tasks (task_id UUID PRIMARY KEY, spec VARCHAR(100) NOT NULL)",
                "CREATE TABLE named (name VARCHAR(20) PRIMARY KEY, spec VARCHAR(100) NOT NULL)");
        assertThatThrownBy(() -> JdbcTable.builder(database(), Row::payload)
                .table("jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("key column job_id of table jobs has type ", "TEXT", "KeyCodec.LONG")
                .satisfies(e -> assertThat(e.getMessage().toLowerCase()).contains("bigint"));
        assertThatThrownBy(() -> JdbcTable.builder(database(), KeyCodec.LONG, Row::payload)
                .table("tasks").keyColumn("task_id").payloadColumn("spec").withoutRevisionColumn().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("key column task_id of table tasks has type ", "INTEGER", "KeyCodec.UUID");
        assertThatThrownBy(() -> JdbcTable.builder(database(), KeyCodec.UUID, Row::payload)
                .table("named").keyColumn("name").payloadColumn("spec").withoutRevisionColumn().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("key column name of table named has type ", "UUID", "KeyCodec.STRING");
    }

    @Test
    void manyRowsAreReadInOneQueryAsEachIsReadAlone() {
        sql("CREATE TABLE jobs (job_id BIGINT PRIMARY KEY, spec VARCHAR(100) NOT NULL)",
                "CREATE TABLE tasks (task_id UUID PRIMARY KEY, spec VARCHAR(100) NOT NULL)",
                "INSERT INTO jobs (job_id, spec) " + numbers(), "INSERT INTO tasks (task_id, spec) " + uuids());
        try (JdbcTable<Long, String> jobs = JdbcTable.builder(database(), KeyCodec.LONG, Row::payload)
                .table("jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().build();
             JdbcTable<UUID, String> tasks = JdbcTable.builder(database(), KeyCodec.UUID, Row::payload)
                .table("tasks").keyColumn("task_id").payloadColumn("spec").withoutRevisionColumn().build()) {
            List<Long> asked = List.of(1L, 2L, 150L, 300L, 301L, 1_000_000L);
            Map<Long, RowState<String>> rows = jobs.rows(asked);
            assertThat(rows).as("rows without a row missing").containsOnlyKeys(1L, 2L, 150L, 300L);
            rows.forEach((key, state) -> assertThat(state).isEqualTo(jobs.row(key).orElseThrow()));

            List<UUID> some = keys(tasks).subList(10, 20);
            assertThat(tasks.rows(some)).containsOnlyKeys(some)
                    .allSatisfy((key, state) -> assertThat(state.value()).isEqualTo("p"));
            assertThat(tasks.rows(List.of(UUID.randomUUID()))).isEmpty();
        }
    }

    // ------------------------------------------------------------ the newer table paths, per key type

    static List<KeyKind<?>> keyKinds() {
        return List.of(KeyKind.BIGINT, KeyKind.UUID);
    }

    /**
     * Six of ten processes call {@code context.retire()} once all ten run, so their deletes come
     * together ({@code removeAll} of several typed keys in one statement): exactly their rows are
     * gone, their keys retired, and the other four run on, started once, their rows untouched.
     */
    @ParameterizedTest(name = "{0} keys")
    @MethodSource("keyKinds")
    <K> void retiringProcessesDeleteTheirOwnRows(KeyKind<K> kind) {
        sql(kind.createJobs(""));
        List<K> retiring = kind.keys(1, 2, 3, 10, 20, 100);
        List<K> staying = kind.keys(4, 5, 6, 7);
        retiring.forEach(key -> sql(kind.insert(key, "retire")));
        staying.forEach(key -> sql(kind.insert(key, "stay")));
        CountDownLatch allRunning = new CountDownLatch(retiring.size() + staying.size());
        Map<K, Integer> starts = new ConcurrentHashMap<>();
        Set<K> retired = ConcurrentHashMap.newKeySet();
        try (JdbcTable<K, Runner> table = JdbcTable.builder(database(), kind.codec(), (Row<K> row) -> (Runner) context -> {
                    starts.merge(row.key(), 1, Integer::sum);
                    context.ready();
                    allRunning.countDown();
                    if (row.payload().equals("retire")) {
                        allRunning.await();
                        context.retire();
                        return;
                    }
                    context.awaitStop();
                }).table("jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().build();
             Supervisor<K, Runner> supervisor = Supervisor.builder(table).reconcileInterval(Duration.ofHours(1))
                     .listener(new SupervisorListener<K>() {
                         @Override
                         public void retired(ProcessStatus<K> last) {
                             retired.add(last.key());
                         }
                     }).build()) {
            supervisor.launch();
            await().atMost(WAIT).until(() -> retired.size() == retiring.size());

            assertThat(retired).containsExactlyInAnyOrderElementsOf(retiring);
            assertThat(keys(table)).as("the rows left").containsExactlyElementsOf(staying);
            assertThat(supervisor.keys()).containsExactlyInAnyOrderElementsOf(staying);
            assertThat(staying).allSatisfy(key -> assertThat(supervisor.status(key)).map(ProcessStatus::state)
                    .contains(KeyState.RUNNING));
            assertThat(starts).as("no process started twice").allSatisfy((key, count) -> assertThat(count).isOne());
        }
    }

    /**
     * {@code changedSince} in pages of two over rows that share a revision: the keyset goes on
     * after the last (revision, typed key) of each page, so keys whose text order differs from
     * their column's order (9, 20, 100) come in the column's order, none skipped or repeated.
     */
    @ParameterizedTest(name = "{0} keys")
    @MethodSource("keyKinds")
    <K> void changedRowsAreReadByRevisionThenKey(KeyKind<K> kind) {
        sql(kind.createJobs(", rev BIGINT NOT NULL"));
        for (int n = 1; n <= 5; n++) {
            sql(kind.insert(kind.key(n), "v1", n));
        }
        try (JdbcTable<K, String> table = JdbcTable.builder(database(), kind.codec(), Row::payload).table("jobs")
                .keyColumn("job_id").payloadColumn("spec").revisionColumn("rev").pageSize(2).build()) {
            assertThat(table.latestRevision()).hasValue(5);
            sql(kind.insert(kind.key(100), "new", 7), kind.insert(kind.key(9), "new", 7), kind.insert(kind.key(20), "new", 7),
                    "UPDATE jobs SET spec = 'v2', rev = 6 WHERE job_id = " + kind.literal(kind.key(3)),
                    "DELETE FROM jobs WHERE job_id = " + kind.literal(kind.key(4)));

            List<K> changed = new ArrayList<>();
            List<Long> revisions = new ArrayList<>();
            List<String> values = new ArrayList<>();
            try (Cursor<K, String> cursor = table.changedSince(5)) {
                while (cursor.next()) {
                    changed.add(cursor.key());
                    revisions.add(cursor.revision().orElseThrow());
                    values.add(cursor.value());
                }
            }
            assertThat(changed).containsExactlyElementsOf(kind.keys(3, 9, 20, 100));
            assertThat(revisions).containsExactly(6L, 7L, 7L, 7L);
            assertThat(values).containsExactly("v2", "new", "new", "new");
            assertThat(table.latestRevision()).hasValue(7);
            try (Cursor<K, String> cursor = table.changedSince(7)) {
                assertThat(cursor.next()).isFalse();
            }
        }
    }

    /**
     * A supervisor whose table gives no change signal, so that only its passes find changes: after
     * a plain-SQL INSERT, UPDATE and DELETE, the next periodic pass is incremental and reads the
     * inserted and the updated rows alone, starting the new ones and restarting the updated one with
     * its new value; the deleted row is retired by the full resync pass, as documented.
     */
    @ParameterizedTest(name = "{0} keys")
    @MethodSource("keyKinds")
    <K> void anIncrementalPassAppliesExactlyTheSqlChanges(KeyKind<K> kind) throws Exception {
        sql(kind.createJobs(", rev BIGINT NOT NULL"));
        for (int n = 1; n <= 5; n++) {
            sql(kind.insert(kind.key(n), "v1", n));
        }
        ManualClock clock = new ManualClock();
        RunningPayloads<K> payloads = new RunningPayloads<>();
        Map<K, String> running = payloads.running;
        List<PassReport<K>> passes = new CopyOnWriteArrayList<>();
        try (JdbcTable<K, Runner> table = JdbcTable.builder(database(), kind.codec(), payloads.decoder())
                .table("jobs").keyColumn("job_id").payloadColumn("spec").revisionColumn("rev").build();
             Supervisor<K, Runner> supervisor = Supervisor.builder(new Unsignalled<>(table)).clock(clock)
                     .reconcileInterval(INTERVAL).resyncInterval(RESYNC).listener(new SupervisorListener<K>() {
                         @Override
                         public void passCompleted(PassReport<K> report) {
                             passes.add(report);
                         }
                     }).build()) {
            supervisor.launch();
            await().atMost(WAIT).until(() -> running.size() == 5 && passes.size() == 1);
            assertThat(passes.getFirst().incremental()).isFalse();

            sql(kind.insert(kind.key(100), "new", 7), kind.insert(kind.key(9), "new", 7),
                    "UPDATE jobs SET spec = 'v2', rev = 6 WHERE job_id = " + kind.literal(kind.key(3)),
                    "DELETE FROM jobs WHERE job_id = " + kind.literal(kind.key(4)));
            clock.advance(INTERVAL);
            await().atMost(WAIT).until(() -> passes.size() == 2);
            PassReport<K> incremental = passes.getLast();
            assertThat(incremental.incremental()).isTrue();
            assertThat(incremental.complete()).as("%s", incremental.failure()).isTrue();
            assertThat(incremental.rowsSeen()).as("the inserted and the updated rows").isEqualTo(3);
            assertThat(incremental.started()).isEqualTo(2);
            await().atMost(WAIT).until(() -> "v2".equals(running.get(kind.key(3))) && running.containsKey(kind.key(100))
                    && running.containsKey(kind.key(9)));
            assertThat(running).as("the deleted row is not in an incremental pass").containsKey(kind.key(4));

            clock.advance(RESYNC);
            await().atMost(WAIT).until(() -> passes.stream().anyMatch(pass -> !pass.incremental() && pass.retired() == 1));
            await().atMost(WAIT).until(() -> !running.containsKey(kind.key(4)));
            assertThat(supervisor.keys()).containsExactlyInAnyOrderElementsOf(kind.keys(1, 2, 3, 5, 9, 100));
        }
    }

    /**
     * A table with a paused and a restart-request column and the change trigger: pause and resume
     * through the supervisor, pause by plain SQL (signalled by typed key), and a restart requested
     * through the table all reach the right process.
     */
    @ParameterizedTest(name = "{0} keys")
    @MethodSource("keyKinds")
    <K> void pauseResumeAndRestartRequestsWork(KeyKind<K> kind) {
        sql(kind.createJobs(", held BOOLEAN DEFAULT FALSE NOT NULL, asked BIGINT DEFAULT 0 NOT NULL"));
        sql(changeTrigger("jobs", "job_id"));
        K first = kind.key(9);
        K second = kind.key(10);
        sql(kind.insert(first, "one"), kind.insert(second, "two"));
        Map<K, Integer> starts = new ConcurrentHashMap<>();
        try (JdbcTable<K, Runner> table = JdbcTable.builder(database(), kind.codec(), (Row<K> row) -> (Runner) context -> {
                    starts.merge(row.key(), 1, Integer::sum);
                    context.ready();
                    context.awaitStop();
                }).table("jobs").keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().pausedColumn("held")
                .restartRequestsColumn("asked").build();
             Supervisor<K, Runner> supervisor = Supervisor.builder(table).reconcileInterval(Duration.ofHours(1)).build()) {
            supervisor.launch();
            await().atMost(WAIT).until(() -> isIn(supervisor, first, KeyState.RUNNING) && isIn(supervisor, second, KeyState.RUNNING));

            supervisor.pause(first);
            await().atMost(WAIT).until(() -> isIn(supervisor, first, KeyState.PAUSED));
            assertThat(table.row(first).orElseThrow().paused()).isTrue();
            supervisor.resume(first);
            await().atMost(WAIT).until(() -> isIn(supervisor, first, KeyState.RUNNING) && starts.get(first) == 2);
            assertThat(table.row(first).orElseThrow().paused()).isFalse();

            sql("UPDATE jobs SET held = TRUE WHERE job_id = " + kind.literal(first));
            await().atMost(WAIT).until(() -> isIn(supervisor, first, KeyState.PAUSED));

            assertThat(table.requestRestart(second)).isTrue();
            await().atMost(WAIT).until(() -> starts.get(second) == 2 && isIn(supervisor, second, KeyState.RUNNING));
            assertThat(table.row(second).orElseThrow().restartRequests()).isOne();

            K missing = kind.key(404);
            assertThat(table.requestRestart(missing)).isFalse();
            assertThat(table.setPaused(missing, true)).isFalse();
            assertThat(starts).containsOnlyKeys(first, second);
        }
    }

    /**
     * The change trigger's keys (PostgreSQL: NOTIFY payloads; H2: the change log) come back as typed
     * keys equal to those written. On PostgreSQL exactly one per write, in commit order, and none
     * for the table's own {@code removeAll} (an insert after it is signalled). H2 may report a
     * change as "rows changed" instead of by key (a check that runs while the write commits), which
     * the listener contract allows; every key it does report is typed and one of those written.
     */
    @ParameterizedTest(name = "{0} keys")
    @MethodSource("keyKinds")
    <K> void theChangeSignalNamesTheTypedKeys(KeyKind<K> kind) {
        sql(kind.createJobs(""));
        sql(changeTrigger("jobs", "job_id"));
        K seven = kind.key(7);
        K eight = kind.key(8);
        boolean exact = database().dialect() == Dialect.POSTGRESQL;
        List<Object> signals = new CopyOnWriteArrayList<>();
        try (JdbcTable<K, String> table = JdbcTable.builder(database(), kind.codec(), Row::payload).table("jobs")
                .keyColumn("job_id").payloadColumn("spec").withoutRevisionColumn().build();
             Subscription ignored = table.subscribe(new ChangeListener<K>() {
                 @Override
                 public void rowChanged(K key) {
                     signals.add(key);
                 }

                 @Override
                 public void tableChanged() {
                     signals.add(RecordingChanges.TABLE);
                 }
             })) {
            await().atMost(WAIT).until(() -> signals.contains(RecordingChanges.TABLE)); // watching the table
            signals.clear();

            sql(kind.insert(seven, "seven"), kind.insert(eight, "eight"));
            awaitSignalled(signals, 0, exact, seven, eight);
            int updated = signals.size();
            sql("UPDATE jobs SET spec = 'seven-v2' WHERE job_id = " + kind.literal(seven),
                    "DELETE FROM jobs WHERE job_id = " + kind.literal(eight));
            awaitSignalled(signals, updated, exact, seven, eight);

            int removed = signals.size();
            table.removeAll(List.of(seven));
            assertThat(keys(table)).isEmpty();
            sql(kind.insert(seven, "again"));
            awaitSignalled(signals, removed, exact, seven);
            table.removeAll(List.of(seven, kind.key(404))); // a key without a row is ignored
            assertThat(keys(table)).isEmpty();

            List<Object> keys = signals.stream().filter(signal -> signal != RecordingChanges.TABLE).toList();
            if (exact) {
                // removeAll's own notification is dropped; the second removeAll signals locally (a key was missing)
                assertThat(signals).as("one signal per write, in commit order")
                        .startsWith(seven, eight, seven, eight, seven).doesNotContain(RecordingChanges.TABLE);
            } else {
                assertThat(keys).as("typed keys, of the rows written").isSubsetOf(seven, eight, kind.key(404));
            }
        }
    }

    /**
     * Waits until every one of keys was signalled since position {@code from} of signals, or (where
     * signals are not exact) a "rows changed" signal came, which covers every key.
     */
    @SafeVarargs
    private static <K> void awaitSignalled(List<Object> signals, int from, boolean exact, K... keys) {
        await().atMost(WAIT).untilAsserted(() -> {
            List<Object> since = List.copyOf(signals);
            since = since.subList(Math.min(from, since.size()), since.size());
            if (exact || !since.contains(RecordingChanges.TABLE)) {
                assertThat(since).as("signals since the write; all: %s", signals).contains(keys);
            }
        });
    }

    /** Whether key's status in supervisor is state. */
    private static <K> boolean isIn(Supervisor<K, ?> supervisor, K key, KeyState state) {
        return supervisor.status(key).map(ProcessStatus::state).orElse(null) == state;
    }

    /**
     * A key type under test: its codec, its column's SQL type, and the key numbered n, so that one
     * test reads the same for numbers and UUIDs; keys numbered in increasing order sort in that
     * order in the column (UUIDs differ in their last bytes only).
     */
    record KeyKind<K>(String sqlType, KeyCodec<K> codec, IntFunction<K> numbered) {
        static final KeyKind<Long> BIGINT = new KeyKind<>("BIGINT", KeyCodec.LONG, n -> (long) n);
        static final KeyKind<UUID> UUID = new KeyKind<>("UUID", KeyCodec.UUID, n -> new java.util.UUID(0x5eedL, n));

        @Override
        public String toString() {
            return sqlType;
        }

        K key(int n) {
            return numbered.apply(n);
        }

        List<K> keys(int... numbers) {
            return Arrays.stream(numbers).mapToObj(numbered).toList();
        }

        /** The key as an SQL literal of the column's type. */
        String literal(K key) {
            return codec.columnType() == KeyCodec.ColumnType.UUID ? "'" + codec.encode(key) + "'" : codec.encode(key);
        }

        String createJobs(String moreColumns) {
            return "CREATE TABLE jobs (job_id " + sqlType + " PRIMARY KEY, spec VARCHAR(100) NOT NULL" + moreColumns + ")";
        }

        String insert(K key, String spec) {
            return "INSERT INTO jobs (job_id, spec) VALUES (" + literal(key) + ", '" + spec + "')";
        }

        String insert(K key, String spec, long revision) {
            return "INSERT INTO jobs (job_id, spec, rev) VALUES (" + literal(key) + ", '" + spec + "', " + revision + ")";
        }
    }

    /** A table without its change signal, so that only passes find changes; everything else is the table's. */
    private record Unsignalled<K, V>(Table<K, V> table) implements Table<K, V> {
        @Override
        public Optional<V> get(K key) {
            return table.get(key);
        }

        @Override
        public Cursor<K, V> cursor() {
            return table.cursor();
        }

        @Override
        public Optional<RowState<V>> row(K key) {
            return table.row(key);
        }

        @Override
        public OptionalLong latestRevision() {
            return table.latestRevision();
        }

        @Override
        public Cursor<K, V> changedSince(long revision) {
            return table.changedSince(revision);
        }

        @Override
        public void removeAll(Collection<? extends K> keys) {
            table.removeAll(keys);
        }
    }

    private static <K> List<K> keys(JdbcTable<K, ?> table) {
        List<K> keys = new ArrayList<>();
        try (Cursor<K, ?> cursor = table.cursor()) {
            while (cursor.next()) {
                keys.add(cursor.key());
            }
        }
        return keys;
    }
}
