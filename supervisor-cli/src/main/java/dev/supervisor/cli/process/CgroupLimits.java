package dev.supervisor.cli.process;

import dev.supervisor.cli.Home;
import dev.supervisor.cli.RowSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a row's limits ({@code memoryMax}, {@code cpuMax}, {@code tasksMax}) to each attempt
 * through the kernel's cgroup controllers, with what the host offers:
 *
 * <ul>
 *   <li><b>cgroup v2</b> (production hosts): the {@code memory}, {@code cpu} and {@code pids}
 *       controllers enabled in the daemon's cgroup directory ({@code cgroup.subtree_control}, up
 *       from the daemon's own cgroup, which it leaves for a leaf {@code supervisor-daemon} of its
 *       own when the kernel's "no internal processes" rule requires it), and the limits written to
 *       the attempt's own cgroup ({@link Cgroups}): {@code memory.max} with {@code memory.swap.max}
 *       0 and {@code memory.oom.group} 1 (the whole attempt is killed together), {@code cpu.max},
 *       {@code pids.max};
 *   <li><b>cgroup v1</b> controllers (hybrid hosts, where the v2 mount has none): for each limit
 *       set, a cgroup {@code supervisor-HASH/NAME-ATTEMPT-ID} under the daemon's own cgroup of
 *       that controller, which the command joins before it is executed, like its v2 cgroup:
 *       {@code memory.limit_in_bytes} and {@code memory.memsw.limit_in_bytes} (swap included),
 *       {@code cpu.cfs_quota_us} over a period of 100 ms, {@code pids.max}.
 * </ul>
 * An attempt killed by the OOM killer is recognised by its memory cgroup's {@code oom_kill}
 * counter ({@code memory.events} on v2, {@code memory.oom_control} on v1). A host that can apply
 * no limit says so once ({@link #describe()}); rows with limits then run without them.
 * Thread-safe.
 */
public final class CgroupLimits {

    private static final Logger LOG = LoggerFactory.getLogger(CgroupLimits.class);

    /** The CFS period of a CPU limit: 100 ms, the kernel's default. */
    static final long CPU_PERIOD_MICROS = 100_000;

    /** A kind of limit, and the controller that applies it. */
    enum Controller {
        MEMORY("memory", "memory"),
        CPU("cpu", "cpu"),
        PIDS("pids", "tasks");

        final String controller;
        final String limit;

        Controller(String controller, String limit) {
            this.controller = controller;
            this.limit = limit;
        }
    }

    private final Set<Controller> v2;
    private final Map<Controller, Path> v1Bases;
    private final String unavailable;

    CgroupLimits(Set<Controller> v2, Map<Controller, Path> v1Bases, String unavailable) {
        this.v2 = v2.isEmpty() ? EnumSet.noneOf(Controller.class) : EnumSet.copyOf(v2);
        this.v1Bases = v1Bases.isEmpty() ? new EnumMap<>(Controller.class) : new EnumMap<>(v1Bases); // in the enum's order
        this.unavailable = unavailable;
    }

    /** Limits as this host allows them, for the daemon of home whose v2 cgroup directory is tracking (if any). */
    static CgroupLimits detect(Home home, Optional<Cgroups> tracking) {
        List<String> why = new ArrayList<>();
        Set<Controller> v2 = tracking.map(c -> enableV2(c.base(), why)).orElseGet(() -> {
            why.add("no cgroup v2 directory may be created");
            return EnumSet.noneOf(Controller.class);
        });
        Map<Controller, Path> v1 = new EnumMap<>(Controller.class);
        for (Controller controller : Controller.values()) {
            if (!v2.contains(controller)) {
                v1Base(home, controller, why).ifPresent(base -> v1.put(controller, base));
            }
        }
        return new CgroupLimits(v2, v1, String.join("; ", why));
    }

    /** The limits that can be applied: memory, cpu, tasks. */
    public Set<String> supported() {
        return java.util.Arrays.stream(Controller.values()).filter(c -> v2.contains(c) || v1Bases.containsKey(c))
                .map(c -> c.limit).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    /** One line for the daemon's start and {@code status}: which limits apply, and how; or that none can. */
    public String describe() {
        if (v2.isEmpty() && v1Bases.isEmpty()) {
            return "none can be applied on this host (" + unavailable + "); rows with --memory-max, --cpu-max or "
                    + "--tasks-max run without them";
        }
        List<String> how = new ArrayList<>();
        if (!v2.isEmpty()) {
            how.add(v2.stream().map(c -> c.limit).collect(Collectors.joining(", ")) + " through cgroup v2");
        }
        if (!v1Bases.isEmpty()) {
            how.add(v1Bases.keySet().stream().map(c -> c.limit).collect(Collectors.joining(", ")) + " through cgroup v1 ("
                    + v1Bases.keySet().stream().map(c -> c.controller).collect(Collectors.joining(", ")) + " controllers)");
        }
        String missing = java.util.Arrays.stream(Controller.values()).filter(c -> !v2.contains(c) && !v1Bases.containsKey(c))
                .map(c -> c.limit).collect(Collectors.joining(", "));
        return String.join("; ", how) + (missing.isEmpty() ? "" : "; not " + missing + " (" + unavailable + ")");
    }

    /** The limits of settings that this host cannot apply, for people: empty when all apply. */
    public String notApplied(RowSettings settings) {
        List<String> missing = new ArrayList<>();
        Set<String> supported = supported();
        if (settings.memoryMax().isPresent() && !supported.contains("memory")) {
            missing.add("memory");
        }
        if (settings.cpuMax().isPresent() && !supported.contains("cpu")) {
            missing.add("cpu");
        }
        if (settings.tasksMax().isPresent() && !supported.contains("tasks")) {
            missing.add("tasks");
        }
        return String.join(", ", missing);
    }

    /** The limit cgroups of one attempt: which directories it joins, and where its OOM kills are counted. */
    record Attempt(List<Path> v1Dirs, Optional<Path> oomCounter) {
        static final Attempt NONE = new Attempt(List.of(), Optional.empty());

        /** How many processes of the attempt the OOM killer killed so far (0 when unknown). */
        long oomKills() {
            return oomCounter.map(CgroupLimits::oomKills).orElse(0L);
        }

        /** Removes the v1 cgroups once their processes are gone (tries for a second; logged, not thrown). */
        void remove() {
            v1Dirs.forEach(Cgroups::remove);
        }
    }

    /**
     * Applies settings' limits to an attempt: to its v2 cgroup v2Attempt (when v2 controllers
     * apply), and to new v1 cgroups for the others, which the command must join.
     *
     * @throws IOException if a cgroup cannot be created or a limit written (what was created is removed)
     */
    Attempt apply(String name, int attempt, RowSettings settings, Optional<Path> v2Attempt) throws IOException {
        if (!settings.hasLimits()) {
            return Attempt.NONE;
        }
        List<Path> v1Dirs = new ArrayList<>();
        Optional<Path> oom = Optional.empty();
        try {
            if (v2Attempt.isPresent() && !v2.isEmpty()) {
                writeV2(v2Attempt.get(), settings, v2);
                if (v2.contains(Controller.MEMORY) && settings.memoryMax().isPresent()) {
                    oom = Optional.of(v2Attempt.get().resolve("memory.events"));
                }
            }
            for (Map.Entry<Controller, Path> base : v1Bases.entrySet()) {
                Controller controller = base.getKey();
                if (!wanted(controller, settings)) {
                    continue;
                }
                Path dir = create(base.getValue(), name, attempt);
                v1Dirs.add(dir);
                writeV1(dir, controller, settings);
                if (controller == Controller.MEMORY) {
                    oom = Optional.of(dir.resolve("memory.oom_control"));
                }
            }
        } catch (IOException | RuntimeException e) {
            v1Dirs.forEach(Cgroups::remove);
            throw e;
        }
        return new Attempt(v1Dirs, oom);
    }

    private static boolean wanted(Controller controller, RowSettings settings) {
        return switch (controller) {
            case MEMORY -> settings.memoryMax().isPresent();
            case CPU -> settings.cpuMax().isPresent();
            case PIDS -> settings.tasksMax().isPresent();
        };
    }

    /** Writes the limits of settings that controllers apply into a v2 cgroup. */
    static void writeV2(Path dir, RowSettings settings, Set<Controller> controllers) throws IOException {
        if (controllers.contains(Controller.MEMORY) && settings.memoryMax().isPresent()) {
            write(dir.resolve("memory.max"), Long.toString(settings.memoryMax().getAsLong()));
            writeIfPresent(dir.resolve("memory.swap.max"), "0");
            writeIfPresent(dir.resolve("memory.oom.group"), "1");
        }
        if (controllers.contains(Controller.CPU) && settings.cpuMax().isPresent()) {
            write(dir.resolve("cpu.max"), quota(settings.cpuMax().getAsDouble()) + " " + CPU_PERIOD_MICROS);
        }
        if (controllers.contains(Controller.PIDS) && settings.tasksMax().isPresent()) {
            write(dir.resolve("pids.max"), Integer.toString(settings.tasksMax().getAsInt()));
        }
    }

    /** Writes one controller's limit of settings into a v1 cgroup of that controller. */
    static void writeV1(Path dir, Controller controller, RowSettings settings) throws IOException {
        switch (controller) {
            case MEMORY -> {
                String bytes = Long.toString(settings.memoryMax().getAsLong());
                write(dir.resolve("memory.limit_in_bytes"), bytes);
                writeIfPresent(dir.resolve("memory.memsw.limit_in_bytes"), bytes); // swap included, where accounted
            }
            case CPU -> {
                write(dir.resolve("cpu.cfs_period_us"), Long.toString(CPU_PERIOD_MICROS));
                write(dir.resolve("cpu.cfs_quota_us"), Long.toString(quota(settings.cpuMax().getAsDouble())));
            }
            case PIDS -> write(dir.resolve("pids.max"), Integer.toString(settings.tasksMax().getAsInt()));
        }
    }

    private static long quota(double cpus) {
        return Math.max(1000, Math.round(cpus * CPU_PERIOD_MICROS));
    }

    /** The {@code oom_kill} count of a {@code memory.events} (v2) or {@code memory.oom_control} (v1) file; 0 if unreadable. */
    static long oomKills(Path counter) {
        try {
            for (String line : Files.readAllLines(counter)) {
                if (line.startsWith("oom_kill ")) {
                    return Long.parseLong(line.substring("oom_kill ".length()).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot read {}: {}", counter, e.toString());
        }
        return 0;
    }

    private static void write(Path file, String value) throws IOException {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IOException("cannot write " + value + " to " + file + ": " + reason(e), e);
        }
    }

    private static void writeIfPresent(Path file, String value) throws IOException {
        if (Files.exists(file)) {
            write(file, value);
        }
    }

    private static String reason(IOException e) {
        return e instanceof NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
    }

    private static Path create(Path base, String name, int attempt) throws IOException {
        while (true) {
            String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            try {
                return Files.createDirectory(base.resolve(Home.fileName(name) + "-" + attempt + "-" + suffix));
            } catch (FileAlreadyExistsException taken) {
                // another suffix
            }
        }
    }

    /**
     * Kills whatever is left in the v1 cgroups of a daemon of this home that died (its recorded
     * groups were stopped before: what remains was never recorded), and removes them.
     */
    public void removeLeftovers() {
        for (Path base : v1Bases.values()) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(base, Files::isDirectory)) {
                for (Path child : children) {
                    Cgroups.processes(child).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                    Cgroups.remove(child);
                }
            } catch (IOException e) {
                LOG.warn("Cannot list the cgroups in {}: {}", base, e.toString());
            }
        }
    }

    /** Removes the daemon's v1 directories if no cgroup is left in them. */
    void removeBases() {
        for (Path base : v1Bases.values()) {
            Cgroups.remove(base);
        }
    }

    /**
     * Enables the memory, cpu and pids controllers for the attempts' cgroups under base (the
     * daemon's v2 directory), as far as the daemon's own cgroup offers them; returns those enabled.
     */
    static Set<Controller> enableV2(Path base, List<String> why) {
        Path own = base.getParent();
        Set<Controller> offered = EnumSet.noneOf(Controller.class);
        try {
            String controllers = Files.readString(own.resolve("cgroup.controllers"));
            for (Controller c : Controller.values()) {
                if (List.of(controllers.strip().split("\\s+")).contains(c.controller)) {
                    offered.add(c);
                }
            }
        } catch (IOException e) {
            why.add("cgroup v2 controllers unreadable in " + own);
            return offered;
        }
        if (offered.isEmpty()) {
            why.add("the cgroup v2 directory " + own + " offers no memory, cpu or pids controller");
            return offered;
        }
        Set<Controller> enabled = EnumSet.noneOf(Controller.class);
        for (Controller c : offered) {
            try {
                enable(own, c);
                enable(base, c);
                enabled.add(c);
            } catch (IOException e) {
                why.add("cannot enable the cgroup v2 " + c.controller + " controller: " + e.getMessage());
            }
        }
        return enabled;
    }

    /**
     * Adds controller c to dir's {@code cgroup.subtree_control}; when the kernel refuses because
     * dir holds processes (the daemon itself), moves the daemon into the leaf
     * {@code dir/supervisor-daemon} first and tries again.
     */
    private static void enable(Path dir, Controller c) throws IOException {
        Path control = dir.resolve("cgroup.subtree_control");
        if (List.of(Files.readString(control).strip().split("\\s+")).contains(c.controller)) {
            return;
        }
        try {
            Files.writeString(control, "+" + c.controller);
        } catch (IOException busy) {
            Path leaf = dir.resolve("supervisor-daemon");
            Files.createDirectories(leaf);
            Files.writeString(leaf.resolve("cgroup.procs"), Long.toString(ProcessHandle.current().pid()));
            LOG.info("Moved the daemon into {} to enable the {} controller for its commands", leaf, c.controller);
            Files.writeString(control, "+" + c.controller);
        }
    }

    /** The daemon's v1 directory for controller, created and checked writable; empty (and why) if there is none. */
    private static Optional<Path> v1Base(Home home, Controller controller, List<String> why) {
        try {
            Optional<Path> own = ownV1(controller);
            if (own.isEmpty()) {
                return Optional.empty();
            }
            Optional<Path> base = Cgroups.usableBase(own.get(), home);
            if (base.isEmpty()) {
                why.add("the cgroup v1 " + controller.controller + " hierarchy is not writable");
            }
            return base;
        } catch (IOException | RuntimeException e) {
            why.add("no cgroup v1 " + controller.controller + " directory may be created (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    /** This process's cgroup v1 directory of controller: its mount joined with its line of /proc/self/cgroup. */
    private static Optional<Path> ownV1(Controller controller) throws IOException {
        Path mountinfo = Path.of("/proc/self/mountinfo");
        Path cgroup = Path.of("/proc/self/cgroup");
        if (!Files.isReadable(mountinfo) || !Files.isReadable(cgroup)) {
            return Optional.empty();
        }
        String mount = null;
        String root = "/";
        for (String line : Files.readAllLines(mountinfo)) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash > 0 && dash + 3 < f.length && "cgroup".equals(f[dash + 1])
                    && List.of(f[dash + 3].split(",")).contains(controller.controller)) {
                mount = f[4];
                root = f[3];
                break;
            }
        }
        if (mount == null) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(cgroup)) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && List.of(f[1].split(",")).contains(controller.controller)) {
                String path = f[2];
                if (!root.equals("/") && path.startsWith(root)) {
                    path = path.substring(root.length());
                }
                return Optional.of(Path.of(mount, path.replaceFirst("^/", "")));
            }
        }
        return Optional.empty();
    }
}
