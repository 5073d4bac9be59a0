package dev.supervisor.cli.daemon;

import dev.supervisor.cli.Home;
import dev.supervisor.cli.output.Json;
import dev.supervisor.cli.process.ProcessGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every command process the daemon of one home has spawned and not yet seen gone, one small
 * file each in {@code HOME/spawned/}, written and forced to disk right after the spawn, before
 * the start grace: so whatever kills the daemon, the next daemon of this home knows each process
 * (pid, start time, cgroup) and stops its whole group before starting anything
 * ({@link LeftoverReaper}). An entry is deleted once its group is gone. Thread-safe: every
 * entry is a file of its own.
 */
public final class SpawnJournal {

    private static final Logger LOG = LoggerFactory.getLogger(SpawnJournal.class);

    /** One spawned process. */
    public record Entry(Path file, String name, int attempt, ProcessGroup group) {
    }

    private final Path dir;

    SpawnJournal(Path dir) {
        this.dir = dir;
    }

    /** The journal of home. */
    public static SpawnJournal of(Home home) {
        return new SpawnJournal(home.dir().resolve("spawned"));
    }

    /**
     * Records the group of attempt's process durably (written, then forced to the disk).
     *
     * @throws UncheckedIOException if it cannot be written
     */
    public Entry record(String name, int attempt, ProcessGroup group) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("attempt", attempt);
        json.put("pid", group.leaderPid());
        json.put("startedAt", group.leaderStart().map(Instant::toString).orElse(null));
        json.put("cgroup", group.cgroup().map(Path::toString).orElse(null));
        Path file = dir.resolve(group.leaderPid() + ".json");
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(Json.write(json).getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true); // the new name too
            } catch (IOException notSupported) {
                // some file systems cannot force a directory; the file's content is on disk
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record process " + group.leaderPid() + " in " + file + ": " + e.getMessage(), e);
        }
        return new Entry(file, name, attempt, group);
    }

    /** Forgets an entry whose group is gone. */
    public void forget(Entry entry) {
        try {
            Files.deleteIfExists(entry.file());
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}; the next daemon will find its process gone", entry.file(), e.toString());
        }
    }

    /** The entry of the process with pid, if this journal has one (it is not changed). */
    public Optional<Entry> find(long pid) {
        Path file = dir.resolve(pid + ".json");
        return Files.isRegularFile(file) ? read(file) : Optional.empty();
    }

    /** Every entry; an unreadable file is logged and deleted (it cannot name a process). */
    List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                read(file).ifPresentOrElse(entries::add, () -> forget(new Entry(file, "", 0, null)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spawned processes in " + dir + ": " + e.getMessage(), e);
        }
        return entries;
    }

    private static Optional<Entry> read(Path file) {
        try {
            if (!(Json.read(Files.readString(file)) instanceof Map<?, ?> json) || !(json.get("pid") instanceof Number pid)) {
                throw new IllegalArgumentException("no pid");
            }
            Optional<Instant> started = Optional.ofNullable((String) json.get("startedAt")).map(Instant::parse);
            Optional<Path> cgroup = Optional.ofNullable((String) json.get("cgroup")).map(Path::of);
            int attempt = json.get("attempt") instanceof Number n ? n.intValue() : 0;
            return Optional.of(new Entry(file, String.valueOf(json.get("name")), attempt,
                    new ProcessGroup(pid.longValue(), started, cgroup)));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Ignoring the unreadable spawn record {}: {}", file, e.toString());
            return Optional.empty();
        }
    }
}
