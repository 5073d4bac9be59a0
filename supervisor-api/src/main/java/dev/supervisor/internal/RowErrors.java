package dev.supervisor.internal;

/**
 * Which throwables, thrown while reading one row (a decoder, {@code Cursor.value()},
 * {@code Table.get}), fail only that row: every {@link Exception}, and every {@link Error} a
 * user's code may throw, {@link StackOverflowError} (a deeply nested payload) and
 * {@link LinkageError} (a decoder's missing class) included. Only {@link OutOfMemoryError} and the
 * other {@link VirtualMachineError}s mean the JVM itself is failing; they propagate.
 */
final class RowErrors {
    private RowErrors() {
    }

    /** True if {@code error} fails only the row being read. */
    static boolean failsOnlyTheRow(Throwable error) {
        return !(error instanceof VirtualMachineError) || error instanceof StackOverflowError;
    }

    /**
     * Rethrows {@code error} if it must propagate; returns normally if it fails only the row.
     * Call it first in a {@code catch (Throwable)} that contains a row's failure.
     */
    static void rethrowIfFatal(Throwable error) {
        if (!failsOnlyTheRow(error)) {
            throw (VirtualMachineError) error;
        }
    }
}
