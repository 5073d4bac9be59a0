package dev.supervisor.cli.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Where the status page listens: {@code [ADDR:]PORT} as given to {@code run --http}, the address
 * defaulting to {@value #DEFAULT_HOST}. An IPv6 address is written in brackets ({@code [::1]:8080}).
 * Port 0 lets the system pick a free port (the daemon prints the one it got).
 *
 * @param host the address as given (or the default)
 * @param socket the resolved address and port
 */
public record HttpAddress(String host, InetSocketAddress socket) {

    /** The address used when only a port is given: loopback, so nothing outside this machine can connect. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** Checks that both parts are present. */
    public HttpAddress {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(socket, "socket");
    }

    /**
     * The address that {@code text} names.
     *
     * @throws IllegalArgumentException saying what is wrong: no port, a port outside 0..65535, an
     *     address that does not resolve
     */
    public static HttpAddress parse(String text) {
        String host = DEFAULT_HOST;
        String port = text.strip();
        int colon = port.lastIndexOf(':');
        if (colon >= 0) {
            host = port.substring(0, colon);
            port = port.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.contains(":")) {
                throw new IllegalArgumentException("--http " + text + ": write an IPv6 address in brackets, e.g. [::1]:8080");
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("--http " + text + ": the address before ':' is empty; give [ADDR:]PORT");
            }
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--http " + text + ": '" + port + "' is not a port number; give [ADDR:]PORT, "
                    + "e.g. 8080 or 127.0.0.1:8080");
        }
        if (number < 0 || number > 65535) {
            throw new IllegalArgumentException("--http " + text + ": the port must be within 0..65535, was " + number);
        }
        try {
            return new HttpAddress(host, new InetSocketAddress(InetAddress.getByName(host), number));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--http " + text + ": the address " + host + " does not resolve");
        }
    }

    /** True when only this machine can connect: a loopback address such as 127.0.0.1, ::1 or localhost. */
    public boolean loopback() {
        return socket.getAddress().isLoopbackAddress();
    }
}
