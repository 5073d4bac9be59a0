package dev.supervisor.cli.output;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Keeps passwords out of what the CLI prints: {@code password=...} parameters and
 * {@code user:password@} credentials in URLs, and any known secret value wherever it appears.
 */
public final class Secrets {

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;\\s]*");
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(//[^/:@\\s]+:)[^@/\\s]*@");
    private static final String MASK = "***";

    private final List<String> known;

    private Secrets(List<String> known) {
        this.known = known;
    }

    /** Masks URL credentials and each of the given values (nulls and blanks are ignored). */
    public static Secrets of(String... values) {
        return new Secrets(java.util.Arrays.stream(values).filter(Objects::nonNull).filter(v -> !v.isBlank()).toList());
    }

    /** The text with every secret replaced by {@code ***}. */
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = PASSWORD_PARAMETER.matcher(text).replaceAll("$1" + MASK);
        masked = URL_CREDENTIALS.matcher(masked).replaceAll("$1" + MASK + "@");
        for (String secret : known) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }
}
