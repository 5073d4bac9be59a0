package dev.supervisor.tests.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP forwarder between a client and a server that can be cut like a network: while
 * {@link #partition() partitioned}, every byte in either direction is held (nothing is lost,
 * nothing is refused, no socket is closed), exactly what a dropped link looks like to both ends
 * until {@link #heal()}. New connections are accepted locally, but their first bytes are held
 * too, so connecting through a partition times out as it would over a dead link.
 */
final class PartitionProxy implements AutoCloseable {

    private final String host;
    private final int port;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition healed = lock.newCondition();
    private boolean partitioned; // guarded by lock
    private volatile boolean closed;

    private PartitionProxy(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("partition-proxy").start(this::accept);
    }

    /** A proxy to host:port, listening on a free port of the loopback address. */
    static PartitionProxy to(String host, int port) throws IOException {
        return new PartitionProxy(host, port);
    }

    /** The port clients connect to. */
    int port() {
        return listener.getLocalPort();
    }

    /** From now on, nothing passes either way. */
    void partition() {
        lock.lock();
        try {
            partitioned = true;
        } finally {
            lock.unlock();
        }
    }

    /** Everything held is delivered, and traffic flows again. */
    void heal() {
        lock.lock();
        try {
            partitioned = false;
            healed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(host, port);
                sockets.add(client);
                sockets.add(server);
                Thread.ofPlatform().daemon().name("partition-proxy-up").start(() -> pump(client, server));
                Thread.ofPlatform().daemon().name("partition-proxy-down").start(() -> pump(server, client));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("partition proxy: " + e);
                }
            }
        }
    }

    /** Copies from one socket to the other, holding each chunk while partitioned; an end or error closes both. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                awaitHealed();
                out.write(buffer, 0, n);
                out.flush();
            }
            awaitHealed(); // an end, too, passes only once the link is back
        } catch (IOException | InterruptedException e) {
            // one side went away: so does the other
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void awaitHealed() throws InterruptedException {
        lock.lock();
        try {
            while (partitioned && !closed) {
                healed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        heal();
        listener.close();
        sockets.forEach(PartitionProxy::closeQuietly);
    }
}
