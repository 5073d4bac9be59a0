/**
 * Tools for testing code that uses the supervisor: {@link dev.supervisor.testing.ManualClock}
 * (time that moves only when the test says so) and {@link dev.supervisor.testing.InMemoryTable}
 * (a table with change signals, undecodable rows and failing cursors on demand).
 */
package dev.supervisor.testing;
