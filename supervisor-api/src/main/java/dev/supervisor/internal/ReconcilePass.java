package dev.supervisor.internal;

import dev.supervisor.Clock;
import dev.supervisor.Cursor;
import dev.supervisor.GroupMembership;
import dev.supervisor.KeyState;
import dev.supervisor.PassReport;
import dev.supervisor.ProcessState;
import dev.supervisor.RowState;
import dev.supervisor.RowUpdates;
import dev.supervisor.Runner;
import dev.supervisor.Table;
import dev.supervisor.TableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciling: a full pass over the table's cursor ({@link #run}: start every idle key this node
 * may run, then {@link #sweep} the keys whose rows are gone), an incremental pass over the rows
 * changed since the {@link Watermark} ({@link #runChanges}: the same, without the sweep) and the
 * check of one changed key ({@link #reconcileKey}). The first step of the engine's data flow: rows go from here through the
 * {@link OwnershipGate} to {@link Attempts}; nothing calls back here. One row's failure (anything
 * its decoder throws short of a {@link VirtualMachineError}, see {@link RowErrors}) skips that row
 * and is reported in the {@link PassReport}. A row read with a new restart-request counter is
 * served first ({@link RestartRequests}), before updates are compared.
 *
 * <p>Concurrency: passes and key checks run on the reconcile loop's thread (and launch's pass on
 * the launching thread, before the loop starts), so at most one runs at a time. The table is read
 * with no lock held; a start then takes the lifecycle read lock and the slot's lock.
 */
final class ReconcilePass<K, P extends Runner> {
    private static final Logger log = LoggerFactory.getLogger(ReconcilePass.class);
    /** How many changed rows {@link #reconcileKeys} reads in one {@link Table#rows} call. */
    static final int KEYS_PER_READ = 256;

    private final String name;
    private final Table<K, P> table;
    private final Clock clock;
    private final Lifecycle lifecycle;
    private final KeySlots<K, P> slots;
    private final OwnershipGate<K, P> gate;
    private final Attempts<K, P> attempts;
    private final StatusPublisher<K> statuses;
    private final RowUpdates updates;
    private final GroupCoordinator<K, P> groups;
    private final RestartRequests<K, P> requests;
    private volatile PassReport<K> last;
    /** What incremental passes read from; confined to the thread that runs passes. */
    private final Watermark watermark = new Watermark();
    /** The latest revision read by the full pass now running, before its cursor opened. */
    private OptionalLong latestAtStart = OptionalLong.empty();

    ReconcilePass(String name, Table<K, P> table, Clock clock, Lifecycle lifecycle, KeySlots<K, P> slots,
            OwnershipGate<K, P> gate, Attempts<K, P> attempts, StatusPublisher<K> statuses, RowUpdates updates,
            GroupCoordinator<K, P> groups) {
        this.updates = updates;
        this.groups = groups;
        this.name = name;
        this.table = table;
        this.clock = clock;
        this.lifecycle = lifecycle;
        this.slots = slots;
        this.gate = gate;
        this.attempts = attempts;
        this.statuses = statuses;
        this.requests = new RestartRequests<>(name, lifecycle, slots, gate, attempts);
    }

    /** The newest full pass's report, or empty before the first pass ended. */
    Optional<PassReport<K>> last() {
        return Optional.ofNullable(last);
    }

    /** The row of slot's key is gone: stop its process, or forget it if it has none. */
    boolean retire(KeySlot<K, P> slot) {
        slot.lock.lock();
        try {
            if (slot.removed) {
                return false;
            }
            ProcessAttempt<K, P> attempt = slot.attempt;
            if (attempt != null && attempt.stopReason == StopReason.RETIRED_ITSELF) {
                return true; // it deleted its own row: its end retires the key
            }
            if (attempt != null) {
                attempts.requestStop(attempt, StopReason.RETIRE);
            } else if (!slot.deciding) {
                slots.forget(slot, true);
            }
            // deciding: the exit handler reads the row and retires the key itself
            return true;
        } finally {
            slot.lock.unlock();
        }
    }

    /**
     * Key's row is paused: asks its process to stop (it then waits in PAUSED), or moves the idle
     * key to PAUSED, creating its slot if this node may run it. Returns the attempt being stopped, or null.
     */
    ProcessAttempt<K, P> pause(K key) {
        KeySlot<K, P> known = slots.get(key);
        if (known == null && !gate.mayRun(key)) {
            return null;
        }
        return lifecycle.whileStartsAllowed(() -> slots.withSlot(key, slot -> {
            ProcessAttempt<K, P> attempt = slot.attempt;
            if (attempt != null) {
                attempts.requestStop(attempt, StopReason.PAUSE);
                return attempt;
            }
            if (!slot.deciding && slot.phase() != KeyState.PAUSED) {
                // deciding: the exit handler reads the row and pauses the key itself
                slot.cancelRestart();
                slot.moveTo(KeyState.PAUSED);
                statuses.publish(slot);
            }
            return null;
        }), () -> null);
    }

    /**
     * Key's row exists but cannot be decoded ({@link RowErrors#undecodable}): an idle key this node
     * may run becomes {@link KeyState#INVALID} with the error's message as its reason, its slot
     * created if needed; a pending restart is dropped. A key with a process, or whose exit is being
     * decided, is left alone: a running process keeps the value it started from.
     */
    void invalid(K key, Throwable error) {
        if (!RowErrors.undecodable(error) || (slots.get(key) == null && !gate.mayRun(key))) {
            return;
        }
        String reason = RowErrors.reason(error);
        lifecycle.whileStartsAllowed(() -> slots.withSlot(key, slot -> {
            if (slot.becomeInvalid(reason)) {
                statuses.publish(slot);
            }
            return null;
        }), () -> null);
    }

    /**
     * Key's row has revision {@code revision}: if its live attempt started from another one, asks it
     * to stop and start again with the new value (unless updates are ignored).
     */
    private void applyUpdate(KeySlot<K, P> slot, OptionalLong revision) {
        ProcessAttempt<K, P> seen = slot.attempt;
        if (updates == RowUpdates.IGNORE || seen == null || !slot.rowChangedSinceStart(revision)) {
            return;
        }
        slot.lock.lock();
        try {
            ProcessAttempt<K, P> attempt = slot.attempt;
            if (!slot.removed && attempt != null && !attempt.stopSignal.isDone() && slot.rowChangedSinceStart(revision)) {
                log.debug("[{}] the row of {} changed (revision {} -> {}); restarting it", name, slot.key,
                        slot.startRevision().getAsLong(), revision.getAsLong());
                attempts.requestRestart(attempt, StopReason.UPDATE);
            }
        } finally {
            slot.lock.unlock();
        }
    }

    // ---------------------------------------------------------------- reconciling

    /**
     * Starts key's process in the background if the key is idle and this node may run it, as a
     * member of {@code group} (null: none); null if not started.
     */
    private ProcessAttempt<K, P> startInBackground(K key, P value, OptionalLong revision, long restartRequests,
                                                   GroupMembership group) {
        return lifecycle.whileStartsAllowed(() -> slots.withSlot(key, slot -> {
            if (!slot.idleForPass()) {
                return null;
            }
            groups.assign(slot, group);
            return gate.begin(slot, value, revision, restartRequests);
        }), () -> null);
    }

    /**
     * One full pass: start every idle key with a row, then retire processes whose rows are gone.
     * When {@code begun} is given, the attempts started are added to it.
     */
    PassReport<K> run(List<ProcessAttempt<K, P>> begun) {
        return pass(begun, null);
    }

    /**
     * A periodic pass: on a table that lists changed rows, once a full pass has set the
     * {@link Watermark}, reads only the rows changed since (starting and updating keys as a full
     * pass does, retiring none); otherwise a full pass.
     */
    PassReport<K> runChanges() {
        OptionalLong from = watermark.readFrom();
        return from.isPresent() ? pass(null, from.getAsLong()) : pass(null, null);
    }

    /** True once a full pass has set the watermark: periodic passes read only changed rows. Pass thread only. */
    boolean listsChanges() {
        return watermark.readFrom().isPresent();
    }

    /** A full pass ({@code changedAfter} null), or an incremental one over rows with a revision above it. */
    private PassReport<K> pass(List<ProcessAttempt<K, P>> begun, Long changedAfter) {
        boolean incremental = changedAfter != null;
        long highest = incremental ? changedAfter : Long.MIN_VALUE;
        OptionalLong latest = OptionalLong.empty();
        long generation = slots.nextGeneration();
        long departures = slots.departureMark();
        int marked = 0; // distinct slots this pass saw or started
        long mark = slots.forgetMark();
        Instant startedAt = clock.now();
        statuses.passStarted(startedAt, incremental);
        long began = System.nanoTime();
        int seen = 0;
        int started = 0;
        int retired = 0;
        List<PassReport.SkippedRow<K>> skipped = new ArrayList<>();
        Throwable failure = null;
        try (Cursor<K, P> cursor = incremental ? table.changedSince(changedAfter) : openFullCursor()) {
            if (!incremental) {
                latest = latestAtStart;
            }
            while (lifecycle.startsAllowed() && cursor.next()) {
                K key = cursor.key();
                seen++;
                if (incremental) {
                    OptionalLong revision = cursor.revision();
                    if (revision.isPresent() && revision.getAsLong() > highest) {
                        highest = revision.getAsLong();
                    }
                }
                KeySlot<K, P> slot = slots.get(key);
                GroupMembership group = cursor.group().orElse(null);
                if (slot != null) {
                    if (slot.markSeen(generation)) {
                        marked++;
                    }
                    groups.seen(slot, group);
                }
                if (cursor.paused()) {
                    if (slot == null || slot.phase() != KeyState.PAUSED) {
                        pause(key);
                    }
                    continue;
                }
                RestartRequests.Outcome asked = RestartRequests.Outcome.NONE;
                if (slot != null) {
                    asked = requests.take(slot, cursor.restartRequests());
                    if (asked == RestartRequests.Outcome.RESTARTING) {
                        continue;
                    }
                    ProcessAttempt<K, P> live = slot.attempt;
                    if (live != null) {
                        OptionalLong revision = cursor.revision();
                        if (slot.startedFrom(revision)) {
                            continue; // running from this very row: nothing to check, not even the attempt
                        }
                        if (live.state == ProcessState.STOPPING) {
                            attempts.rowSeenWhileRetiring(slot); // a row that came back after its process deleted it
                        }
                        if (updates == RowUpdates.RESTART && slot.rowChangedSinceStart(revision)) {
                            try {
                                cursor.value(); // an update that does not decode keeps the running process
                                applyUpdate(slot, revision);
                            } catch (Throwable e) {
                                RowErrors.rethrowIfFatal(e);
                                skipped.add(new PassReport.SkippedRow<>(key, e));
                                log.warn("[{}] not applying the changed row of {}: {}", name, key, e.toString());
                            }
                        }
                        continue;
                    }
                    if (asked != RestartRequests.Outcome.START && !slot.idleOrPaused()) {
                        continue;
                    }
                }
                if (!gate.mayRun(key)) {
                    continue; // not ours: do not even decode it (asked again under the key's lock before a start)
                }
                P value;
                OptionalLong revision;
                long restartRequests;
                try {
                    if (slots.forgottenSince(key, mark)) {
                        // retired during this pass: the cursor's page may predate the row's deletion
                        Optional<RowState<P>> fresh = table.row(key);
                        if (fresh.isEmpty()) {
                            continue;
                        }
                        if (fresh.get().paused()) {
                            pause(key);
                            continue;
                        }
                        value = fresh.get().value();
                        revision = fresh.get().revision();
                        restartRequests = fresh.get().restartRequests();
                    } else {
                        value = cursor.value();
                        revision = cursor.revision();
                        restartRequests = cursor.restartRequests();
                    }
                } catch (Throwable e) {
                    RowErrors.rethrowIfFatal(e); // anything else fails this row alone
                    skipped.add(new PassReport.SkippedRow<>(key, e));
                    log.warn("[{}] skipping the row of {}: {}", name, key, e instanceof TableException ? e.getMessage() : e.toString());
                    invalid(key, e);
                    continue;
                }
                ProcessAttempt<K, P> attempt = asked == RestartRequests.Outcome.START
                        ? requests.startIdle(key, value, revision, restartRequests)
                        : startInBackground(key, value, revision, restartRequests, group);
                if (attempt != null) {
                    if (attempt.slot.markSeen(generation)) {
                        marked++;
                    }
                    started++;
                    if (begun != null) {
                        begun.add(attempt);
                    }
                }
            }
        } catch (StateGraph.Violation e) {
            throw e; // a bug in the engine, not a failure of the table
        } catch (Throwable e) {
            RowErrors.rethrowIfFatal(e);
            failure = e;
            log.warn("[{}] reconcile pass failed after {} rows; the next pass will try again: {}", name, seen, e.toString());
        }
        if (failure == null && lifecycle.startsAllowed() && !incremental && !slots.everySlotSeen(departures, marked)) {
            try {
                retired = sweep(generation);
            } catch (RuntimeException e) {
                failure = e;
                log.warn("[{}] retiring processes without rows failed; the next pass will try again: {}", name, e.toString());
            }
        }
        PassReport<K> report = new PassReport<>(startedAt, Duration.ofNanos(System.nanoTime() - began), seen, started,
                retired, skipped, Optional.ofNullable(failure), incremental);
        log.debug("[{}] {} pass: {}", name, incremental ? "incremental" : "full", report);
        if (failure == null) {
            if (incremental) {
                watermark.passCompleted(highest);
            } else if (latest.isPresent()) {
                watermark.passCompleted(latest.getAsLong());
            } else {
                watermark.reset();
            }
        }
        if (!incremental) {
            last = report;
        }
        statuses.passCompleted(report);
        return report;
    }

    /**
     * The table's latest revision (kept in {@link #latestAtStart} for the watermark), then its
     * cursor: a row written after the revision was read is read again by the next incremental pass.
     */
    private Cursor<K, P> openFullCursor() {
        latestAtStart = table.latestRevision();
        return table.cursor();
    }

    /**
     * Retires keys the pass did not see, after confirming each with a read of its row. Skipped
     * when the pass saw every slot in the map ({@link KeySlots#everySlotSeen}), the usual case.
     */
    private int sweep(long generation) {
        int retired = 0;
        for (KeySlot<K, P> slot : slots.all()) {
            if (!slot.unseenIn(generation) || !lifecycle.startsAllowed()) {
                continue;
            }
            if (attempts.retiringItself(slot)) {
                continue; // it deleted its own row: its end retires the key, no read needed
            }
            boolean gone;
            try {
                gone = table.get(slot.key).isEmpty();
            } catch (TableException e) {
                if (e.key() != null) {
                    continue; // the row exists but cannot be decoded: not gone
                }
                throw e;
            } catch (Throwable e) {
                RowErrors.rethrowIfFatal(e);
                continue; // the decoder threw past the table: the row exists, so it is not gone
            }
            if (gone && retire(slot)) {
                retired++;
            }
        }
        return retired;
    }

    /**
     * Signals said these keys' rows changed: reads them in batches of {@link #KEYS_PER_READ}
     * ({@link Table#rows}) and checks each as {@link #reconcileKey} does. A batch that cannot be
     * read as a whole (a database failure, an undecodable row) is checked key by key, so one bad
     * row never hurts the others. Stops early when {@code stopped} says so.
     */
    void reconcileKeys(List<K> keys, BooleanSupplier stopped) {
        for (int from = 0; from < keys.size(); from += KEYS_PER_READ) {
            if (stopped.getAsBoolean()) {
                return;
            }
            List<K> batch = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_READ));
            long mark = slots.forgetMark();
            Map<K, RowState<P>> rows;
            try {
                rows = table.rows(batch);
            } catch (Throwable e) {
                RowErrors.rethrowIfFatal(e);
                log.debug("[{}] cannot read {} changed rows at once, reading them one by one: {}", name, batch.size(),
                        e.toString());
                batch.forEach(this::reconcileKey);
                continue;
            }
            for (K key : batch) {
                reconcileRead(key, Optional.ofNullable(rows.get(key)), mark);
            }
        }
    }

    /** A signal said key's row changed: start or retire that key alone. */
    void reconcileKey(K key) {
        long mark = slots.forgetMark();
        Optional<RowState<P>> row;
        try {
            row = table.row(key);
        } catch (Throwable e) {
            RowErrors.rethrowIfFatal(e);
            log.warn("[{}] cannot read the changed row of {}: {}", name, key, e.toString());
            invalid(key, e);
            return;
        }
        reconcileRead(key, row, mark);
    }

    /** Checks key against its row as read after {@code mark} ({@link KeySlots#forgetMark}). */
    private void reconcileRead(K key, Optional<RowState<P>> row, long mark) {
        KeySlot<K, P> slot = slots.get(key);
        if (slot == null && row.isPresent() && slots.forgottenSince(key, mark)) {
            reconcileKey(key); // retired while its row was read: that row may be gone, read it again
            return;
        }
        if (row.isEmpty()) {
            if (slot != null) {
                retire(slot);
            }
            return;
        }
        if (slot != null && attempts.rowSeenWhileRetiring(slot)) {
            return; // its process deleted this row and is ending: the key is checked again then
        }
        RowState<P> current = row.get();
        if (current.paused()) {
            pause(key);
            return;
        }
        GroupMembership group = current.group().orElse(null);
        if (slot != null) {
            groups.seen(slot, group);
        }
        RestartRequests.Outcome asked = slot == null ? RestartRequests.Outcome.NONE
                : requests.take(slot, current.restartRequests());
        if (asked == RestartRequests.Outcome.RESTARTING) {
            return;
        }
        if (asked == RestartRequests.Outcome.START) {
            if (gate.mayRun(key)) {
                requests.startIdle(key, current.value(), current.revision(), current.restartRequests());
            }
            return;
        }
        if (slot != null && slot.attempt != null) {
            applyUpdate(slot, current.revision());
            return;
        }
        if (slot != null && !slot.idleOrPaused()) {
            return;
        }
        if (gate.mayRun(key)) {
            startInBackground(key, current.value(), current.revision(), current.restartRequests(), group);
        }
    }
}
