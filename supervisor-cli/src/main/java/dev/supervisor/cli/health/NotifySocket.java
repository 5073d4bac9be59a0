package dev.supervisor.cli.health;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The socket a command tells it is ready on, as systemd's {@code Type=notify} services do: a Unix
 * datagram socket whose path the command finds in {@code NOTIFY_SOCKET}, to which
 * {@code sd_notify(0, "READY=1")} (libsystemd, {@code systemd-notify --ready}, or any program)
 * writes. The JDK opens no Unix datagram socket, so this one is opened through libc (JNA), and read
 * without blocking ({@code MSG_DONTWAIT}) at each readiness probe. One per attempt; the socket file
 * is named at random in a directory that cannot be listed, and removed on {@link #close()}.
 */
public final class NotifySocket implements AutoCloseable {

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_DONTWAIT = 0x40;
    /** The longest path of a Unix socket, with its terminating 0. */
    private static final int MAX_PATH = 108;

    /** The libc calls used. */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        int bind(int fd, byte[] address, int length);

        NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags);

        int close(int fd);

        int chmod(String path, int mode);
    }

    private static volatile LibC libc;

    private final int fd;
    private final Path path;
    private volatile boolean ready;
    private volatile String status = "";

    private NotifySocket(int fd, Path path) {
        this.fd = fd;
        this.path = path;
    }

    /**
     * Opens a socket in dir (created if missing), writable by any user (the command may run as
     * another user) but found only by its random name.
     *
     * @throws IOException saying why it cannot be opened
     */
    public static NotifySocket open(Path dir) throws IOException {
        LibC c = libc();
        Files.createDirectories(dir);
        c.chmod(dir.toString(), 0711);
        Path path = dir.resolve(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ".sock");
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= MAX_PATH) {
            throw new IOException("the socket's path " + path + " is longer than " + (MAX_PATH - 1) + " bytes");
        }
        ByteBuffer address = ByteBuffer.allocate(2 + MAX_PATH).order(ByteOrder.nativeOrder());
        address.putShort((short) AF_UNIX).put(name).put((byte) 0);
        int fd = c.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("cannot open a Unix datagram socket (errno " + Native.getLastError() + ")");
        }
        if (c.bind(fd, address.array(), 2 + name.length + 1) != 0) {
            int errno = Native.getLastError();
            c.close(fd);
            throw new IOException("cannot bind a Unix datagram socket to " + path + " (errno " + errno + ")");
        }
        c.chmod(path.toString(), 0666);
        return new NotifySocket(fd, path);
    }

    private static LibC libc() throws IOException {
        LibC c = libc;
        if (c == null) {
            try {
                c = Native.load("c", LibC.class);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                throw new IOException("cannot load libc to open the notify socket: " + e.getMessage(), e);
            }
            libc = c;
        }
        return c;
    }

    /** The value of {@code NOTIFY_SOCKET} for the command. */
    public String path() {
        return path.toString();
    }

    /**
     * Reads what the command sent since the last call, without waiting; true once it sent
     * {@code READY=1}. Its latest {@code STATUS=} text is kept for {@link #status()}.
     */
    boolean readyNow() {
        byte[] buffer = new byte[4096];
        while (!ready) {
            long n = libc.recv(fd, buffer, new NativeLong(buffer.length), MSG_DONTWAIT).longValue();
            if (n <= 0) {
                break;
            }
            for (String line : new String(buffer, 0, (int) n, StandardCharsets.UTF_8).split("\n")) {
                if (line.equals("READY=1")) {
                    ready = true;
                } else if (line.startsWith("STATUS=")) {
                    status = line.substring("STATUS=".length());
                }
            }
        }
        return ready;
    }

    /** The command's latest {@code STATUS=} text, if it sent one. */
    Optional<String> status() {
        return status.isEmpty() ? Optional.empty() : Optional.of(status);
    }

    @Override
    public void close() {
        LibC c = libc;
        if (c != null) {
            c.close(fd);
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // the next daemon of the home removes what is left in the directory
        }
    }
}
