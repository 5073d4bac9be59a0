package dev.supervisor.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Heap in use after full collections, from the memory MX bean. */
final class Heap {

    private static final long SETTLED = 256 * 1024;

    private Heap() {
    }

    /** Used heap after {@code System.gc()}, repeated until two readings agree within 256 KiB (at most 8 times). */
    static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            System.gc();
            Thread.sleep(20); // lets reference processing and cleaners finish before we read
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < SETTLED) {
                return used;
            }
            previous = used;
        }
        return previous;
    }
}
