package dev.supervisor.cli.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An append-only log file capped in size: when a write would take {@code NAME.log} past
 * {@code maxBytes}, it becomes {@code NAME.log.1} (the previous {@code .1} becomes {@code .2},
 * and so on up to {@code keep} old files; the oldest is deleted) and a new {@code NAME.log}
 * begins. So the output of one process takes at most {@code maxBytes * (keep + 1)} on disk.
 * Every write goes straight to the file, so readers ({@code logs --follow}) see it at once.
 *
 * <p>Not thread-safe: one attempt's pump writes it.
 */
public final class RotatingLog implements AutoCloseable {

    /** Default cap of one file: 10 MiB. */
    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
    /** Default number of rotated files kept: 3. */
    static final int DEFAULT_KEEP = 3;

    private final Path file;
    private final long maxBytes;
    private final int keep;
    private OutputStream out;
    private long size;

    private RotatingLog(Path file, long maxBytes, int keep) throws IOException {
        this.file = file;
        this.maxBytes = maxBytes;
        this.keep = keep;
        open();
    }

    /**
     * Opens file for appending (creating it and its directory).
     *
     * @throws IllegalArgumentException if maxBytes is below 1 or keep below 0
     */
    static RotatingLog open(Path file, long maxBytes, int keep) throws IOException {
        if (maxBytes < 1 || keep < 0) {
            throw new IllegalArgumentException("log size must be >= 1 byte and kept files >= 0, were " + maxBytes + ", " + keep);
        }
        return new RotatingLog(file, maxBytes, keep);
    }

    /** The rotated file {@code n} (1 is the newest). */
    static Path rotated(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (size >= maxBytes) {
                rotate();
            }
            int chunk = (int) Math.min(length, maxBytes - size);
            out.write(bytes, offset, chunk);
            size += chunk;
            offset += chunk;
            length -= chunk;
        }
    }

    private void rotate() throws IOException {
        out.close();
        if (keep == 0) {
            Files.deleteIfExists(file);
        } else {
            Files.deleteIfExists(rotated(file, keep));
            for (int n = keep - 1; n >= 1; n--) {
                if (Files.exists(rotated(file, n))) {
                    Files.move(rotated(file, n), rotated(file, n + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, rotated(file, 1), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
    }

    private void open() throws IOException {
        Files.createDirectories(file.getParent());
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
