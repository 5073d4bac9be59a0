package dev.supervisor.cli.daemon;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Turns SIGTERM, SIGINT and SIGHUP (a closed terminal) into an orderly stop: instead of the JVM's default (run shutdown hooks,
 * then exit with 128 + the signal), the first of them wakes {@link #await()}, so {@code run} can
 * stop every process and exit 0. Where the JVM does not let us handle them ({@code -Xrs}), its
 * default applies and the daemon's shutdown hook stops the processes instead.
 */
public final class ShutdownSignals {

    private final CountDownLatch received = new CountDownLatch(1);
    private volatile String name = "";

    private ShutdownSignals() {
    }

    /** Installs the handlers; returns whether the JVM accepted them. */
    public static ShutdownSignals install() {
        ShutdownSignals signals = new ShutdownSignals();
        for (String signal : new String[] {"TERM", "INT", "HUP"}) {
            try {
                Signal.handle(new Signal(signal), s -> signals.received(s.getName()));
            } catch (IllegalArgumentException | UnsupportedOperationException refused) {
                // -Xrs or a platform without it: the shutdown hook covers this signal
            }
        }
        return signals;
    }

    private void received(String signal) {
        if (received.getCount() > 0) {
            name = "SIG" + signal;
            received.countDown();
        }
    }

    /** Waits for SIGTERM, SIGINT or SIGHUP; returns its name ("SIGTERM"). */
    public String await() throws InterruptedException {
        received.await();
        return name;
    }
}
