package dev.supervisor.cli;

import dev.supervisor.cli.output.Durations;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Takes turns at the embedded H2 file among our own processes. H2's mixed mode lets the first
 * process that opens the file serve it to the others, which breaks their connections when that
 * process exits, and it fails opens that race each other. So a one-shot command holds this lock
 * ({@code HOME/db/access.lock}) from opening the database until it closed it, and the daemon
 * while it opens it: the daemon is then the server, and commands never serve each other.
 */
final class EmbeddedAccess implements AutoCloseable {

    /** How long to wait for the other process's turn to end. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private static final EmbeddedAccess NONE = new EmbeddedAccess(null, null);

    private final FileChannel channel;
    private final FileLock lock;

    private EmbeddedAccess(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** No turn to take: a database server shares itself. */
    static EmbeddedAccess none() {
        return NONE;
    }

    /**
     * Waits for the turn.
     *
     * @throws RefusedException if another process keeps it longer than {@link #WAIT}
     */
    static EmbeddedAccess acquire(Path lockFile) {
        try {
            Files.createDirectories(lockFile.getParent());
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                FileLock lock = tryLock(channel);
                if (lock != null) {
                    return new EmbeddedAccess(channel, lock);
                }
                if (System.nanoTime() - deadline >= 0) {
                    channel.close();
                    throw new RefusedException("the embedded database is busy: another process has held " + lockFile
                            + " for " + Durations.seconds(WAIT));
                }
                Thread.sleep(20);
            }
        } catch (IOException e) {
            throw new RefusedException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RefusedException("interrupted while waiting for " + lockFile);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            return null;
        }
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock anyway
        }
    }
}
