package dev.supervisor;

/**
 * Reading a {@link Table} failed: the storage failed, or a row could not be decoded. When the
 * failure concerns one row, {@link #key()} names it.
 */
public class TableException extends SupervisorException {
    private static final long serialVersionUID = 1L;

    private final transient Object key;

    public TableException(String message, Throwable cause) {
        this(null, message, cause);
    }

    public TableException(Object key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The key of the row this is about, or null when it is not about one row. */
    public Object key() {
        return key;
    }
}
