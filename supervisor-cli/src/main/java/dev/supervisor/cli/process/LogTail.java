package dev.supervisor.cli.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a {@link RotatingLog} the way {@code tail} does: its last lines (reaching into the rotated
 * files when the current one has fewer), and then what is appended, following rotations.
 */
public final class LogTail {

    /** The most {@link #writeLast} prints, however long the lines: 1 MiB (the end of an over-long line). */
    static final int MAX_BYTES = 1 << 20;
    private static final int CHUNK = 8192;
    private static final long FOLLOW_POLL_MILLIS = 200;

    private final Path file;

    public LogTail(Path file) {
        this.file = file;
    }

    /** Whether the log or a rotated file of it exists. */
    public boolean exists() {
        return Files.exists(file) || Files.exists(RotatingLog.rotated(file, 1));
    }

    /**
     * Writes the last {@code lines} lines to out, at most {@link #MAX_BYTES} of them (output
     * without newlines is one endless line: then its last {@code MAX_BYTES}).
     *
     * @return the current file's size when read, where {@link #follow} goes on
     */
    public long writeLast(int lines, OutputStream out) throws IOException {
        long size = Files.exists(file) ? Files.size(file) : 0;
        List<byte[]> parts = new ArrayList<>(); // newest first
        int needed = lines;
        long budget = MAX_BYTES;
        for (int n = 0; needed > 0 && budget > 0; n++) {
            Path candidate = n == 0 ? file : RotatingLog.rotated(file, n);
            if (!Files.exists(candidate)) {
                if (n == 0) {
                    continue; // the current file is missing until the process writes again
                }
                break;
            }
            try (FileChannel channel = FileChannel.open(candidate, StandardOpenOption.READ)) {
                long length = n == 0 ? Math.min(size, channel.size()) : channel.size();
                // A rotation may split a line: the end of an older file then continues into the newer one,
                // where it was counted already.
                boolean newerBeginsMidLine = !parts.isEmpty() && parts.getLast().length > 0;
                int continued = newerBeginsMidLine && length > 0 && !endsWithNewline(channel, length) ? 1 : 0;
                Tail tail = lastLines(channel, length, needed + continued, budget);
                parts.add(tail.bytes());
                budget -= tail.bytes().length;
                needed -= tail.lines() - continued;
            }
        }
        for (int i = parts.size() - 1; i >= 0; i--) {
            out.write(parts.get(i));
        }
        out.flush();
        return size;
    }

    /**
     * Copies what is appended to the log from {@code position} on, until interrupted; starts over
     * at the beginning of a new file after a rotation.
     */
    public void follow(long position, OutputStream out) throws IOException, InterruptedException {
        Object key = fileKey();
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        while (!Thread.currentThread().isInterrupted()) {
            Object now = fileKey();
            if (now != null && !Objects.equals(now, key)) {
                key = now;
                position = 0; // rotated: a new file
            }
            if (now != null) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    if (channel.size() < position) {
                        position = 0; // truncated
                    }
                    buffer.clear();
                    int n;
                    while ((n = channel.read(buffer, position)) > 0) {
                        out.write(buffer.array(), 0, n);
                        position += n;
                        buffer.clear();
                    }
                    out.flush();
                } catch (NoSuchFileException rotatedMeanwhile) {
                    continue;
                }
            }
            Thread.sleep(FOLLOW_POLL_MILLIS);
        }
        throw new InterruptedException();
    }

    private Object fileKey() throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The bytes of up to {@code lines} last lines of the first {@code size} bytes, and how many lines they are. */
    private record Tail(byte[] bytes, int lines) {
    }

    private static boolean endsWithNewline(FileChannel channel, long size) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        return size > 0 && channel.read(one, size - 1) == 1 && one.get(0) == '\n';
    }

    private static Tail lastLines(FileChannel channel, long size, int lines, long maxBytes) throws IOException {
        long end = endsWithNewline(channel, size) ? size - 1 : size; // a final newline ends the last line, begins none
        int found = 0;
        long start = 0;
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        long chunkEnd = end;
        search:
        while (chunkEnd > 0 && size - chunkEnd < maxBytes) {
            long chunkStart = Math.max(0, chunkEnd - CHUNK);
            buffer.clear().limit((int) (chunkEnd - chunkStart));
            channel.read(buffer, chunkStart);
            for (int i = buffer.position() - 1; i >= 0; i--) {
                if (buffer.get(i) == '\n' && ++found == lines) {
                    start = chunkStart + i + 1;
                    break search;
                }
            }
            chunkEnd = chunkStart;
        }
        int count = found == lines ? lines : found + (end > 0 ? 1 : 0);
        start = Math.max(start, size - maxBytes);
        ByteBuffer bytes = ByteBuffer.allocate((int) (size - start));
        while (bytes.hasRemaining() && channel.read(bytes, start + bytes.position()) > 0) {
            // a file channel reads all that is there; loop in case it returns less
        }
        return new Tail(bytes.array(), count);
    }
}
