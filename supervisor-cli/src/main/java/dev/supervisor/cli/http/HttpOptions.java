package dev.supervisor.cli.http;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options of {@code run} that turn the status page on: {@code --http} and {@code --http-token-file}. */
public final class HttpOptions {

    /** The file of the home where {@code run} writes a random token when no {@code --http-token-file} is given. */
    public static final String TOKEN_FILE = "http-token";

    @Option(names = "--http", paramLabel = "[ADDR:]PORT",
            description = "Also serve the status page, its JSON API, /metrics and /health on PORT of ADDR (default address: "
                    + HttpAddress.DEFAULT_HOST + "; port 0: any free one). Whoever can reach it sees every command and its log.")
    private String http;

    @Option(names = "--http-token-file", paramLabel = "FILE",
            description = "The token that the page's restart, stop and start need (default: a random one written to HOME/"
                    + TOKEN_FILE + ", readable by this user only). Required to listen on an address other than loopback.")
    private Path tokenFile;

    /**
     * Checks the options together, before anything starts.
     *
     * @return what to listen on, or null when {@code --http} is absent
     * @throws ParameterException (exit 2) for a malformed address, a token file without {@code --http},
     *     or an address beyond loopback without a token file
     */
    public Listen check(CommandLine commandLine) {
        if (http == null) {
            if (tokenFile != null) {
                throw new ParameterException(commandLine, "--http-token-file needs --http [ADDR:]PORT");
            }
            return null;
        }
        HttpAddress address;
        try {
            address = HttpAddress.parse(http);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage());
        }
        if (!address.loopback() && tokenFile == null) {
            throw new ParameterException(commandLine, "--http " + http + " listens beyond this machine, where anyone who can "
                    + "reach it sees every command and its log: give --http-token-file FILE (a secret of at least "
                    + AccessToken.MIN_LENGTH + " characters) to protect the actions, or listen on 127.0.0.1");
        }
        if (tokenFile != null) {
            try {
                AccessToken.readFrom(tokenFile); // a bad file is a usage error, found before anything starts
            } catch (IllegalArgumentException e) {
                throw new ParameterException(commandLine, e.getMessage());
            }
        }
        return new Listen(address, tokenFile);
    }

    /**
     * What {@link #check} found.
     *
     * @param address where to listen
     * @param tokenFile the operator's token file, or null to generate one in the home
     */
    public record Listen(HttpAddress address, Path tokenFile) {

        /**
         * Reads or writes the token and binds the address.
         *
         * @param home the daemon's home, where a generated token is written ({@value HttpOptions#TOKEN_FILE})
         * @param supervisorName the supervisor's name, tagging its meters
         */
        public StatusServer bind(Path home, String supervisorName) {
            AccessToken token = tokenFile != null ? AccessToken.readFrom(tokenFile) : AccessToken.generate(home.resolve(TOKEN_FILE));
            return StatusServer.bind(address, token, supervisorName);
        }
    }
}
