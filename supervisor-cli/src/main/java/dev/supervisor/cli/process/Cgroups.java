package dev.supervisor.cli.process;

import dev.supervisor.cli.Home;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's cgroup v2 directory, where each command attempt gets a cgroup of its own: then a
 * command's processes can be listed and killed together whatever they do (fork, exit, call
 * {@code setsid}, double-fork), with {@code cgroup.kill}. The directory is
 * {@code supervisor-HASH} (HASH: of the home) under the daemon's own cgroup on the cgroup2 mount;
 * it is used only where the daemon may create it (root, or a delegated subtree such as a systemd
 * service with {@code Delegate=yes}). Elsewhere there is none and commands are bound by their
 * session alone (see {@link ProcessGroup}).
 */
public final class Cgroups {

    private static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);

    /** How long {@link #remove} tries. */
    static final Duration REMOVE_WAIT = Duration.ofSeconds(1);

    private final Path base;

    private Cgroups(Path base) {
        this.base = base;
    }

    /** The daemon's cgroup directory for home, created if missing; empty where cgroup v2 cannot be used. */
    static Optional<Cgroups> forHome(Home home) {
        try {
            Optional<Path> own = ownCgroup();
            if (own.isEmpty()) {
                return Optional.empty();
            }
            return usableBase(own.get(), home).map(Cgroups::new);
        } catch (IOException | RuntimeException e) {
            LOG.debug("No cgroup v2 for the commands: {}", e.toString());
            return Optional.empty();
        }
    }

    /**
     * The daemon's directory for home under the cgroup own ({@code supervisor-HASH}), created if
     * missing, if a cgroup created in it can be joined (its {@code cgroup.procs} is writable);
     * else empty. The same for cgroup v2 and each v1 controller.
     */
    static Optional<Path> usableBase(Path own, Home home) throws IOException {
        int hash = java.util.Arrays.hashCode(home.dir().toString().getBytes(StandardCharsets.UTF_8));
        Path base = own.resolve("supervisor-" + HexFormat.of().toHexDigits(hash));
        Files.createDirectories(base);
        Path probe = Files.createDirectory(base.resolve("probe-" + ProcessHandle.current().pid()));
        boolean usable = Files.isWritable(probe.resolve("cgroup.procs"));
        Files.delete(probe);
        return usable ? Optional.of(base) : Optional.empty();
    }

    /** This process's cgroup v2 directory: the cgroup2 mount point joined with the "0::" line of /proc/self/cgroup. */
    private static Optional<Path> ownCgroup() throws IOException {
        Path mountinfo = Path.of("/proc/self/mountinfo");
        Path cgroup = Path.of("/proc/self/cgroup");
        if (!Files.isReadable(mountinfo) || !Files.isReadable(cgroup)) {
            return Optional.empty();
        }
        Optional<String> mount = Files.readAllLines(mountinfo).stream()
                .map(line -> line.split(" "))
                .filter(f -> f.length > 6 && List.of(f).subList(6, f.length).contains("-")
                        && "cgroup2".equals(f[List.of(f).indexOf("-") + 1]))
                .map(f -> f[4]).findFirst();
        Optional<String> path = Files.readAllLines(cgroup).stream().filter(l -> l.startsWith("0::"))
                .map(l -> l.substring(3)).findFirst();
        if (mount.isEmpty() || path.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Path.of(mount.get(), path.get().replaceFirst("^/", "")));
    }

    Path base() {
        return base;
    }

    /** A new, empty cgroup for one attempt of the command name. */
    Path create(String name, int attempt) throws IOException {
        while (true) {
            String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            try {
                return Files.createDirectory(base.resolve(Home.fileName(name) + "-" + attempt + "-" + suffix));
            } catch (FileAlreadyExistsException taken) {
                // another suffix
            }
        }
    }

    /** The cgroups in the directory: after a crash, those of the commands the dead daemon ran. */
    public List<Path> children() {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, Files::isDirectory)) {
            entries.forEach(children::add);
        } catch (IOException e) {
            LOG.warn("Cannot list the cgroups in {}: {}", base, e.toString());
        }
        return children;
    }

    /** The pids in cgroup (none if it is gone). */
    static List<Long> processes(Path cgroup) {
        try {
            return Files.readAllLines(cgroup.resolve("cgroup.procs")).stream().filter(l -> !l.isBlank())
                    .map(l -> Long.parseLong(l.strip())).toList();
        } catch (NoSuchFileException gone) {
            return List.of();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot read the processes of cgroup {}: {}", cgroup, e.toString());
            return List.of();
        }
    }

    /** SIGKILL to every process in cgroup and its descendant cgroups ({@code cgroup.kill}, Linux 5.14+; else one by one). */
    static void kill(Path cgroup) {
        try {
            Files.writeString(cgroup.resolve("cgroup.kill"), "1");
        } catch (NoSuchFileException noKillFile) {
            processes(cgroup).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        } catch (IOException e) {
            LOG.warn("Cannot kill cgroup {}: {}; killing its processes one by one", cgroup, e.toString());
            processes(cgroup).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /** Removes the directory if no cgroup is left in it. */
    void removeBase() {
        if (children().isEmpty()) {
            remove(base);
        }
    }

    /**
     * Removes an empty cgroup, trying for up to {@link #REMOVE_WAIT} while its last processes
     * finish exiting; a failure is logged, not thrown (the next daemon's start removes leftovers).
     */
    static void remove(Path cgroup) {
        long deadline = System.nanoTime() + REMOVE_WAIT.toNanos();
        while (true) {
            try {
                Files.deleteIfExists(cgroup);
                return;
            } catch (IOException e) {
                if (System.nanoTime() - deadline >= 0) {
                    LOG.debug("Cannot remove cgroup {}: {}", cgroup, e.toString());
                    return;
                }
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        }
    }
}
