package dev.supervisor.cli.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The system's users, for {@code --user NAME}: looked up through {@code getent passwd} (so NSS
 * sources such as LDAP count), else {@code /etc/passwd}.
 */
public final class Users {

    /** A user as passwd(5) describes it. */
    public record User(String name, long uid, long gid, String home, String shell) {
    }

    private Users() {
    }

    /** The user named name, or empty if this host has none. */
    public static Optional<User> find(String name) {
        for (String getent : new String[] {"/usr/bin/getent", "/bin/getent"}) {
            if (Files.isExecutable(Path.of(getent))) {
                try {
                    Process process = new ProcessBuilder(getent, "passwd", "--", name).redirectErrorStream(true).start();
                    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                        break;
                    }
                    return process.exitValue() == 0 ? parse(out.strip(), name) : Optional.empty();
                } catch (IOException e) {
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                Optional<User> user = parse(line, name);
                if (user.isPresent()) {
                    return user;
                }
            }
        } catch (IOException e) {
            // no passwd file: no such user
        }
        return Optional.empty();
    }

    private static Optional<User> parse(String line, String name) {
        String[] f = line.split(":", -1);
        if (f.length < 7 || !f[0].equals(name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new User(f[0], Long.parseLong(f[2]), Long.parseLong(f[3]), f[5], f[6]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether this process runs as root (uid 0), as {@code --user} needs. */
    public static boolean daemonIsRoot() {
        try {
            String status = Files.readString(Path.of("/proc/self/status"));
            for (String line : status.split("\n")) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).strip().split("\\s+")[1].equals("0"); // the effective uid
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the JVM
        }
        return "root".equals(System.getProperty("user.name"));
    }
}
