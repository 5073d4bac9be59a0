package dev.supervisor.cli;

/**
 * The jar's entry point, compiled for Java 11 so that an older {@code java} on the PATH says
 * clearly what is wrong instead of failing to load {@link Main} (built for Java 21) with an
 * {@code UnsupportedClassVersionError}. On Java 21 or newer it just runs {@link Main}.
 */
public final class Launcher {

    /** The oldest Java the supervisor runs on. */
    static final int REQUIRED = 21;

    private Launcher() {
    }

    /** Runs {@link Main} on Java 21 or newer; else says so and exits 1. */
    public static void main(String[] args) throws Throwable {
        String version = System.getProperty("java.specification.version");
        int major = Integer.parseInt(version.startsWith("1.") ? version.substring(2) : version.replaceAll("\\..*", ""));
        if (major < REQUIRED) {
            System.err.println("supervisor: needs Java " + REQUIRED + " or newer, but this is Java " + version + " ("
                    + System.getProperty("java.home") + "); run the jar with a newer java, such as $JAVA_HOME/bin/java");
            System.exit(1);
        }
        try {
            Class.forName("dev.supervisor.cli.Main").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
