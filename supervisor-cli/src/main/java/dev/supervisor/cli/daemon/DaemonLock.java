package dev.supervisor.cli.daemon;

import dev.supervisor.cli.Home;
import dev.supervisor.cli.RefusedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;

/**
 * One daemon per home: {@code run} holds an exclusive lock on {@code HOME/daemon.lock} (with its
 * pid inside) while it runs, so a second daemon on the same home is refused instead of starting
 * every command twice. The operating system releases the lock when the process dies, however.
 */
public final class DaemonLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DaemonLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock.
     *
     * @throws RefusedException if another daemon holds it
     */
    public static DaemonLock acquire(Home home) {
        home.create();
        try {
            FileChannel channel = FileChannel.open(home.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = read(channel);
                channel.close();
                throw new RefusedException("another daemon is running on " + home.dir()
                        + (holder.isEmpty() ? "" : " (pid " + holder + ")"));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
            return new DaemonLock(channel, lock);
        } catch (IOException e) {
            throw new RefusedException("cannot lock " + home.lockFile() + ": " + e.getMessage(), e);
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
