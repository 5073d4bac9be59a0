package dev.supervisor.internal;

import dev.supervisor.TableException;

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
     * True if {@code error}, thrown while reading one row, says that the row exists but cannot be
     * decoded: a {@link TableException} naming its key, or anything a decoder threw past the table.
     * A {@code TableException} without a key is a storage failure: the row may be fine.
     */
    static boolean undecodable(Throwable error) {
        return !(error instanceof TableException storage) || storage.key() != null;
    }

    /** What a status shows as the reason of an undecodable row: the error's message, or the error itself without one. */
    static String reason(Throwable error) {
        return error.getMessage() != null ? error.getMessage() : error.toString();
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
