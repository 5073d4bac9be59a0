package dev.supervisor.cli.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret that the status page's actions (restart, stop, start) require, sent as
 * {@code Authorization: Bearer TOKEN}. Either read from a file the operator provides, or made up
 * at random by the daemon and written to a file of its home that only its user can read.
 * Never printed: {@link #toString()} says where it is, not what it is.
 */
public final class AccessToken {

    /** The shortest token accepted from a file, in characters. */
    public static final int MIN_LENGTH = 16;
    /** Random bytes in a generated token (256 bits, 43 characters of URL-safe base64). */
    private static final int RANDOM_BYTES = 32;

    private final byte[] value;
    private final Path file;

    private AccessToken(String value, Path file) {
        this.value = value.getBytes(StandardCharsets.UTF_8);
        this.file = file;
    }

    /**
     * The token in {@code file}: its content without leading and trailing white space.
     *
     * @throws IllegalArgumentException if the file cannot be read or holds fewer than {@link #MIN_LENGTH} characters
     */
    public static AccessToken readFrom(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("--http-token-file " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        if (text.length() < MIN_LENGTH || text.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new IllegalArgumentException("--http-token-file " + file + ": the token must be at least " + MIN_LENGTH
                    + " printable ASCII characters without spaces");
        }
        return new AccessToken(text, file);
    }

    /**
     * A new random token, written to {@code file} (replacing any older one) with permissions
     * {@code rw-------} from its creation on.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public static AccessToken generate(Path file) {
        byte[] random = new byte[RANDOM_BYTES];
        new SecureRandom().nextBytes(random);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, text + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HTTP token to " + file + ": " + e.getMessage(), e);
        }
        return new AccessToken(text, file);
    }

    /** Where the token is stored. */
    public Path file() {
        return file;
    }

    /** Whether {@code presented} is the token, compared in time independent of where they differ. */
    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(value, presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "AccessToken[in " + file + "]";
    }
}
