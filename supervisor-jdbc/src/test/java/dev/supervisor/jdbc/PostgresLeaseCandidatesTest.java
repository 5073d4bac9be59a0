package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.jdbc.internal.dialect.PostgresDialect;
import dev.supervisor.jdbc.internal.lease.LeaseKeyColumn;
import dev.supervisor.jdbc.internal.lease.LeaseTable;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rows a claim round offers on a large PostgreSQL table: read from a sampled key on, they are
 * still exactly the rows without a lease (wrapping around past the last key), never a leased
 * one, and two rounds start at different keys, so nodes claiming at once rarely collide.
 */
class PostgresLeaseCandidatesTest {

    private static final int ROWS = 12_000; // above LeaseTable's sampling threshold
    private static final int LEASED = 9_000;

    private PostgresSchema schema;
    private LeaseTable leases;
    private Jdbi jdbi;

    @BeforeEach
    void setUp() {
        schema = new PostgresSchema("lease_candidates");
        schema.sql("INSERT INTO supervisor_processes (name, payload) SELECT 'k' || lpad(n::text, 6, '0'), 'p'"
                        + " FROM generate_series(1, " + ROWS + ") n",
                "INSERT INTO supervisor_nodes (node, name, table_name, capacity, started_at, heartbeat_at, expires_at, active_until)"
                        + " VALUES ('n-1', 'n', 'supervisor_processes', 10, now(), now(), now() + interval '1 hour', now() + interval '1 hour')",
                // every fourth row stays without a lease, spread over the whole key range
                "INSERT INTO supervisor_leases (name, table_name, owner, epoch, acquired_at, expires_at)"
                        + " SELECT name, 'supervisor_processes', 'n-1', 1, now(), now() + interval '1 hour'"
                        + " FROM supervisor_processes WHERE right(name, 1)::int % 4 <> 0 OR name > 'k010000'",
                "ANALYZE supervisor_processes");
        leases = new LeaseTable(new PostgresDialect(), Identifier.of("supervisor_processes"), LeaseKeyColumn.text(Identifier.of("name")),
                Identifier.of("group_name"),
                Duration.ofSeconds(9), 5);
        jdbi = Jdbi.create(schema.database.dataSource());
    }

    @AfterEach
    void tearDown() throws Exception {
        schema.close();
    }

    @Test
    void offersExactlyTheRowsWithoutALeaseFromWhereverItStarts() {
        Set<String> unleased = jdbi.withHandle(handle -> handle.createQuery("SELECT name FROM supervisor_processes p"
                + " WHERE NOT EXISTS (SELECT 1 FROM supervisor_leases l WHERE l.name = p.name)").mapTo(String.class).set());
        assertThat(unleased).hasSizeBetween(ROWS - LEASED - 1_000, ROWS - LEASED + 1_000);

        Set<String> firsts = new HashSet<>();
        for (int round = 0; round < 5; round++) {
            List<LeaseTable.Candidate> all = jdbi.withHandle(handle -> leases.claimable(handle, ROWS, ROWS));
            assertThat(all).allSatisfy(candidate -> assertThat(candidate.epoch()).isNull());
            assertThat(all.stream().map(LeaseTable.Candidate::key).toList())
                    .as("every row without a lease, once, however the scan wrapped around")
                    .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(unleased);

            List<LeaseTable.Candidate> some = jdbi.withHandle(handle -> leases.claimable(handle, 100, ROWS));
            assertThat(some).hasSize(100);
            assertThat(some.stream().map(LeaseTable.Candidate::key).collect(Collectors.toSet())).isSubsetOf(unleased);
            firsts.add(some.getFirst().key());
        }
        assertThat(firsts).as("rounds start from keys picked at random").hasSizeGreaterThan(1);
    }

    @Test
    void offersTheLeasesOfDeadOwnersFirstAndOnlyThose() {
        schema.sql("UPDATE supervisor_leases SET owner = 'gone-1', epoch = 7 WHERE name BETWEEN 'k011000' AND 'k011049'",
                "UPDATE supervisor_leases SET owner = 'gone-2', epoch = 8 WHERE name BETWEEN 'k011500' AND 'k011509'",
                // a live node of another table: its leases are not a dead owner's
                "INSERT INTO supervisor_nodes (node, name, table_name, capacity, started_at, heartbeat_at, expires_at, active_until)"
                        + " VALUES ('other-1', 'o', 'other', 10, now(), now(), now() + interval '1 hour', now() + interval '1 hour')",
                "UPDATE supervisor_leases SET owner = 'other-1' WHERE name BETWEEN 'k011800' AND 'k011899'");

        List<LeaseTable.Candidate> first = jdbi.withHandle(handle -> leases.claimable(handle, 40, ROWS));
        assertThat(first).hasSize(40).allSatisfy(candidate -> {
            assertThat(candidate.epoch()).isIn(7L, 8L);
            assertThat(candidate.key()).matches("k0115\\d\\d|k0110\\d\\d");
        });
        List<LeaseTable.Candidate> all = jdbi.withHandle(handle -> leases.claimable(handle, 100, ROWS));
        assertThat(all.subList(0, 60)).as("all 60 dead owners' leases, before any row without a lease")
                .extracting(LeaseTable.Candidate::epoch).containsOnly(7L, 8L);
        assertThat(all.subList(60, 100)).extracting(LeaseTable.Candidate::epoch).containsOnlyNulls();

        schema.sql("DELETE FROM supervisor_leases WHERE owner LIKE 'gone-%'");
        List<LeaseTable.Candidate> after = jdbi.withHandle(handle -> leases.claimable(handle, 100, ROWS));
        assertThat(after).as("no dead owner left").extracting(LeaseTable.Candidate::epoch).containsOnlyNulls();
    }

    @Test
    void bigintAndUuidKeysAreOfferedFromASampledKeyToo() {
        schema.sql("CREATE TABLE jobs (job_id BIGINT PRIMARY KEY, spec VARCHAR NOT NULL)",
                "INSERT INTO jobs SELECT n, 'p' FROM generate_series(1, " + ROWS + ") n",
                "CREATE TABLE tasks (task_id UUID PRIMARY KEY, spec VARCHAR NOT NULL)",
                "INSERT INTO tasks SELECT gen_random_uuid(), 'p' FROM generate_series(1, " + ROWS + ") n",
                "ANALYZE jobs", "ANALYZE tasks");
        LeaseTable jobs = new LeaseTable(new PostgresDialect(), Identifier.of("jobs"),
                new LeaseKeyColumn(Identifier.of("job_id"), KeyCodec.ColumnType.INTEGER), null, Duration.ofSeconds(9), 5);
        LeaseTable tasks = new LeaseTable(new PostgresDialect(), Identifier.of("tasks"),
                new LeaseKeyColumn(Identifier.of("task_id"), KeyCodec.ColumnType.UUID), null, Duration.ofSeconds(9), 5);

        List<LeaseTable.Candidate> allJobs = jdbi.withHandle(handle -> jobs.claimable(handle, ROWS, ROWS));
        assertThat(allJobs.stream().map(LeaseTable.Candidate::key).collect(Collectors.toSet()))
                .hasSize(ROWS).contains("1", "6000", "12000");
        List<LeaseTable.Candidate> allTasks = jdbi.withHandle(handle -> tasks.claimable(handle, ROWS, ROWS));
        assertThat(allTasks.stream().map(LeaseTable.Candidate::key).collect(Collectors.toSet())).hasSize(ROWS)
                .allSatisfy(key -> assertThat(java.util.UUID.fromString(key).toString()).isEqualTo(key));
    }
}
