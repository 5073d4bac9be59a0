/**
 * The supervisor's engine. Public only so the other modules of this project can reach it; these
 * classes have no compatibility guarantees and may change in any release.
 *
 * <h2>Classes, each named after what it owns</h2>
 * <ul>
 *   <li>{@link dev.supervisor.internal.Engine}: wires the parts; the public operations.
 *   <li>{@code Lifecycle}: NEW, LAUNCHING, RUNNING, CLOSING, CLOSED; the lifecycle lock and the
 *       "starts allowed" gate.
 *   <li>{@code KeySlots} and {@code KeySlot}: the key map and each key's bookkeeping; the slot
 *       lock; a slot is {@code removed} exactly when it leaves the map.
 *   <li>{@code ReconcilePass}: full passes, the sweep of keys without rows, single-key checks;
 *       the {@code PassReport}. {@code ReconcileLoop}: when passes and checks run.
 *       {@code RestartRequests}: restarts asked for through the table's restart-request counter.
 *   <li>{@code OwnershipGate}: every start asks {@code Ownership} here, under the slot lock;
 *       losing a key.
 *   <li>{@code Attempts} and {@code ProcessAttempt}: each attempt's thread, timers, stops and
 *       exit; the attempt reports through {@code AttemptEvents}. {@code ExitClassifier}: how an
 *       ended attempt becomes a {@code ProcessExit} (kind, error, stop cause). {@code StopReason}:
 *       why a stop was asked for, which decides what follows (restart at once, pause, retire).
 *   <li>{@code RestartScheduler}: the decision after an exit, backoff and restarts; the
 *       immediate restart after {@code restart(key)} or an updated row ({@code restartNow}).
 *   <li>{@code GroupCoordinator}: which keys form which group, each group's restart intensity,
 *       and the group rounds: a member's unrequested exit that its group takes over (from
 *       {@code RestartScheduler.decide}) holds the member, and a round on a thread of its own stops
 *       the affected members in reverse group order and starts them in group order, or gives
 *       the group up.
 *   <li>{@code StatusPublisher} and {@code ListenerDispatcher}: status snapshots and their
 *       delivery to listeners.
 * </ul>
 *
 * <h2>Data flow (one way)</h2>
 * table &#8594; {@code ReconcilePass} &#8594; {@code OwnershipGate} &#8594; {@code Attempts} &#8594;
 * {@code StatusPublisher} &#8594; listeners. An exit goes from {@code Attempts} through the
 * {@code ExitHandler} interface to the {@code RestartScheduler}, whose restarts pass the
 * {@code OwnershipGate} again: an exit nobody asked for through {@code endedOnItsOwn}, a stop
 * for a restart or an update through {@code restartRequested} (the slot stays {@code deciding}
 * meanwhile, so no pass starts the key in between). A member its group takes over stays
 * {@code deciding} with {@code heldByGroup} until the group's round starts it or gives it up. A
 * group round starts and stops members through the same paths (lifecycle read lock, then one
 * slot's lock at a time) and waits for them with no lock held. A paused row's stop ends in PAUSED in
 * {@code Attempts} itself. A row that cannot be decoded moves its idle key to INVALID through
 * {@code KeySlot.becomeInvalid}, under the slot's lock after the read: in {@code ReconcilePass}
 * (a pass or a key check) and in {@code RestartScheduler} (a restart due). {@code ProcessAttempt} knows only {@code AttemptEvents}.
 *
 * <h2>Lock order</h2>
 * <ol>
 *   <li>the lifecycle lock (read lock on every start path, write lock to move the lifecycle);
 *   <li>a slot's lock (one key at a time, never two slots at once); {@code Ownership.tryAcquire}
 *       is called under it, so an ownership must not call back into the supervisor while
 *       holding a lock that {@code tryAcquire} takes;
 *   <li>leaf locks, under which nothing else is locked: the reconcile loop's lock, the jitter
 *       lock of {@code RestartScheduler}, the lock of {@code GroupCoordinator} (taken under a
 *       slot's lock to record a membership or an exit), the listener queues, {@code ManualClock}'s lock.
 * </ol>
 * Never the other way. No lock is held across a table read, a wait for a process, or a
 * listener call: tables are read first, then the slot is locked and its state checked again.
 * Each state moves along its graph through one checked method ({@code KeySlot.moveTo},
 * {@code ProcessAttempt.transition}, {@code Lifecycle.transition}).
 */
package dev.supervisor.internal;
