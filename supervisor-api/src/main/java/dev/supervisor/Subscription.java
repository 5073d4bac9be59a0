package dev.supervisor;

/** A registration that can be cancelled; closing it twice is harmless. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    /** A subscription that holds nothing. */
    Subscription NONE = () -> { };

    /** Cancels the registration; never throws. */
    @Override
    void close();
}
