package dev.supervisor.tests.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the README and {@code docs/} true to the code: every Java block in them comes from a
 * marked region of a source file that the build compiles (and, being in a test, runs), and every
 * relative link points at a file that exists.
 *
 * <p>A block is tied to its source by a comment on the line before its fence:
 * <pre>
 *   &lt;!-- snippet: supervisor-api/src/test/java/.../EmbeddingExampleTest.java#embedding --&gt;
 *   ```java
 * </pre>
 * and the region is marked in the source with {@code // docs: embedding} ... {@code // docs: end}.
 * The block's lines, stripped of indentation, must appear in the region in the same order (the
 * block may leave out lines of the region, such as a test's assertions, but it may not add or
 * change one); a line {@code ...} in the block stands for code left out on purpose, and closing
 * braces after the region's end may close what the excerpt opened.
 *
 * <p>XML and properties blocks with such a marker are checked the same way, against a region of a
 * pom or a properties file that a test builds or runs from (marked {@code <!-- docs: NAME -->} ...
 * {@code <!-- docs: end -->}, or {@code # docs: NAME} ... {@code # docs: end}), so that a dependency a
 * page tells users to add is the one a tested application has; {@code ${project.version}} in the
 * region stands for the project's version, which the page spells out.
 */
class DocSnippetsTest {

    private static final Pattern MARKER = Pattern.compile("<!--\\s*snippet:\\s*([^#\\s]+)#([\\w-]+)\\s*-->");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    /** The fenced blocks checked: Java always, the others when marked. */
    private static final Pattern FENCE = Pattern.compile("```(java|xml|properties)");
    private static final Pattern PROJECT_VERSION = Pattern.compile(
            "<artifactId>supervisor-parent</artifactId>\\s*<version>([^<]+)</version>");

    private static final Path ROOT = findRoot();

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("docs")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (with mvnw and docs/) above "
                    + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** README.md, CONTRIBUTING.md and every page under docs/. */
    static List<Path> pages() {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        if (Files.exists(ROOT.resolve("CONTRIBUTING.md"))) {
            pages.add(ROOT.resolve("CONTRIBUTING.md"));
        }
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockMatchesItsSourceRegion() {
        return pages().stream().flatMap(page -> blocks(page).stream().filter(block -> block.language().equals("java"))
                .map(block -> DynamicTest.dynamicTest(ROOT.relativize(page) + ":" + block.line(), () -> check(page, block))));
    }

    @TestFactory
    Stream<DynamicTest> everyMarkedXmlOrPropertiesBlockMatchesItsSourceRegion() {
        return pages().stream().flatMap(page -> blocks(page).stream()
                .filter(block -> !block.language().equals("java") && block.source() != null)
                .map(block -> DynamicTest.dynamicTest(ROOT.relativize(page) + ":" + block.line(), () -> check(page, block))));
    }

    @Test
    void thePagesHaveJavaBlocksToCheck() {
        long blocks = pages().stream().mapToLong(page -> blocks(page).stream().filter(b -> b.language().equals("java")).count()).sum();
        assertThat(blocks).as("Java blocks in README and docs").isGreaterThanOrEqualTo(4);
        long poms = pages().stream().mapToLong(page -> blocks(page).stream()
                .filter(b -> b.language().equals("xml") && b.source() != null && b.source().endsWith("pom.xml")).count()).sum();
        assertThat(poms).as("marked pom blocks in README and docs").isGreaterThanOrEqualTo(1);
    }

    @TestFactory
    Stream<DynamicTest> everyRelativeLinkResolves() {
        return pages().stream().map(page -> DynamicTest.dynamicTest(ROOT.relativize(page).toString(), () -> {
            List<String> broken = new ArrayList<>();
            Matcher links = LINK.matcher(read(page));
            while (links.find()) {
                String target = links.group(1);
                if (target.startsWith("http") || target.startsWith("#") || target.startsWith("mailto:")) {
                    continue;
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                if (!Files.exists(page.getParent().resolve(file).normalize())) {
                    broken.add(target);
                }
            }
            assertThat(broken).as("links in %s to files that do not exist", ROOT.relativize(page)).isEmpty();
        }));
    }

    /** A fenced block of a page: where it starts, its language, its marker (or null) and its lines. */
    record Block(int line, String language, String source, String region, List<String> lines) {
    }

    static List<Block> blocks(Path page) {
        List<String> lines = read(page).lines().toList();
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i).strip());
            if (!fence.matches()) {
                continue;
            }
            Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1)) : null;
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                end++;
            }
            boolean marked = marker != null && marker.find();
            blocks.add(new Block(i + 1, fence.group(1), marked ? marker.group(1) : null, marked ? marker.group(2) : null,
                    lines.subList(i + 1, end)));
            i = end;
        }
        return blocks;
    }

    private static void check(Path page, Block block) {
        assertThat(block.source())
                .as("%s line %d: a Java block needs a '<!-- snippet: path#region -->' line before it",
                        ROOT.relativize(page), block.line())
                .isNotNull();
        Path source = ROOT.resolve(block.source());
        assertThat(source).as("the source of the block at %s:%d", ROOT.relativize(page), block.line()).exists();
        String version = version();
        List<String> region = region(source, block.region()).stream().map(line -> line.replace("${project.version}", version))
                .toList();
        int at = 0;
        List<String> lines = block.lines();
        for (int i = 0; i < lines.size(); i++) {
            String wanted = lines.get(i).strip();
            if (wanted.isEmpty() || wanted.equals("...")) {
                continue;
            }
            if (at >= region.size() && block.language().equals("java") && closesOnly(lines.subList(i, lines.size()))) {
                return; // closing braces of what the excerpt opened, such as the class around a method
            }
            while (at < region.size() && !region.get(at).strip().equals(wanted)) {
                at++;
            }
            assertThat(at)
                    .as("%s:%d: the line%n  %s%nis not in region '%s' of %s (in this order)", ROOT.relativize(page),
                            block.line(), wanted, block.region(), block.source())
                    .isLessThan(region.size());
            at++;
        }
    }

    private static boolean closesOnly(List<String> lines) {
        return lines.stream().map(String::strip).allMatch(line -> line.isEmpty() || line.equals("}"));
    }

    /**
     * The lines between "// docs: name" and the next "// docs: end" in source (in a pom,
     * "&lt;!-- docs: name --&gt;" and "&lt;!-- docs: end --&gt;"; in a properties file, "# docs: name" and "# docs: end").
     */
    static List<String> region(Path source, String name) {
        List<String> lines = read(source).lines().toList();
        String file = source.getFileName().toString();
        String open = file.endsWith(".xml") ? "<!-- docs: %s -->" : file.endsWith(".properties") ? "# docs: %s" : "// docs: %s";
        int begin = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(open.formatted(name))) {
                begin = i;
                break;
            }
        }
        assertThat(begin).as("region '%s' in %s", open.formatted(name), source).isNotNegative();
        for (int i = begin + 1; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(open.formatted("end"))) {
                return lines.subList(begin + 1, i);
            }
        }
        throw new AssertionError("region '" + name + "' in " + source + " has no '" + open.formatted("end") + "'");
    }

    /** The project's version, as the root pom states it. */
    private static String version() {
        Matcher version = PROJECT_VERSION.matcher(read(ROOT.resolve("pom.xml")));
        assertThat(version.find()).as("the version of supervisor-parent in the root pom").isTrue();
        return version.group(1);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
