package dev.supervisor.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What the benchmark ran on, for the README: cores, memory, CPU, JDK, OS, databases, load. */
final class Machine {

    private Machine() {
    }

    /** One "- name: value" line per fact. */
    static List<String> describe(Optional<String> postgresVersion) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<String> lines = new ArrayList<>();
        lines.add("cores: " + Runtime.getRuntime().availableProcessors() + cpuModel().map(m -> " (" + m + ")").orElse(""));
        lines.add(String.format(Locale.ROOT, "RAM: %.1f GiB; JVM max heap %.1f GiB", os.getTotalMemorySize() / GIB,
                Runtime.getRuntime().maxMemory() / GIB));
        lines.add("JDK: " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version") + ", GC " + garbageCollectors());
        lines.add("OS: " + osRelease().orElse(System.getProperty("os.name")) + ", kernel " + System.getProperty("os.version")
                + " " + System.getProperty("os.arch"));
        lines.add("H2: " + org.h2.engine.Constants.FULL_VERSION);
        lines.add("PostgreSQL: " + postgresVersion.orElse("not available"));
        return lines;
    }

    private static final double GIB = 1024.0 * 1024 * 1024;

    /** The 1, 5 and 15 minute load averages, as {@code uptime} prints them. */
    static String loadAverages() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (IOException | RuntimeException e) {
            double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return one < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f (1 min)", one);
        }
    }

    /** {@code SELECT version()} of the PostgreSQL server, shortened. */
    static Optional<String> postgresVersion() {
        try (Connection connection = DriverManager.getConnection(BenchDatabase.postgresUrl());
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SHOW server_version")) {
            rs.next();
            return Optional.of(rs.getString(1));
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> osRelease() {
        try {
            return Files.readAllLines(Path.of("/etc/os-release")).stream().filter(line -> line.startsWith("PRETTY_NAME="))
                    .map(line -> line.substring("PRETTY_NAME=".length()).replace("\"", "")).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String garbageCollectors() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().map(gc -> gc.getName().split(" ")[0])
                .distinct().collect(Collectors.joining(" + "));
    }
}
