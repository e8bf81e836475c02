package dev.keyfailover.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link in README.md and docs/*.md resolves: the file or folder it names exists in
 * the repository, and an anchor ({@code page.md#anchor}, {@code #anchor}) names a heading of that
 * page, as GitHub makes heading anchors. Links outside the repository (http, https, mailto, any
 * other scheme) are not followed. Links in code blocks and code spans are not links.
 */
class DocumentationLinksTest {

    /** {@code ](target)} or {@code ](target "title")}: the end of an inline link or image, whose text may span lines. */
    private static final Pattern INLINE_LINK =
            Pattern.compile("\\]\\(\\s*(<[^>]*>|[^)\\s]*)(?:\\s+(?:\"[^\"]*\"|'[^']*'))?\\s*\\)");
    /** {@code [label]: target}, a reference definition. */
    private static final Pattern REFERENCE = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*(\\S+)");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?:(?!\\1).)+?\\1");
    private static final Pattern ATX_HEADING = Pattern.compile("^ {0,3}(#{1,6})(?:\\s+(.*?))?(?:\\s+#+)?\\s*$");
    private static final Pattern SETEXT_UNDERLINE = Pattern.compile("^ {0,3}(=+|-+)\\s*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
    private static final Pattern HTML_ID = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    /** GitHub's line anchors on a source file ({@code #L10}, {@code #L10-L20}). */
    private static final Pattern LINE_ANCHOR = Pattern.compile("L\\d+(-L\\d+)?");

    @Test
    void everyRelativeLinkAndAnchorInTheDocumentationResolves() throws IOException {
        Path root = repositoryRoot();
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
        }

        List<String> broken = brokenLinks(root, pages);

        assertThat(pages).hasSizeGreaterThan(2);
        assertThat(broken).as("broken links (file:line: target: why)").isEmpty();
    }

    @Test
    void aBrokenLinkOrAnchorIsReportedWithItsFileAndLine(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("README.md"), String.join("\n",
                "# Title",
                "See [the guide](docs/guide.md#a-section) and [missing](docs/missing.md).",
                "And [a section that is not there](docs/guide.md#no-such-section), [here](#title).",
                "```",
                "[not a link](nowhere.md) in a code block",
                "```",
                "Also `[not a link](nowhere.md)` in a code span, and [out](https://example.com/x.md)."));
        Files.writeString(root.resolve("docs/guide.md"), String.join("\n",
                "# Guide", "## A section", "Back to the [README](../README.md#titel)."));

        List<String> broken = brokenLinks(root, List.of(root.resolve("README.md"), root.resolve("docs/guide.md")));

        assertThat(broken).containsExactly(
                "README.md:2: docs/missing.md: no such file",
                "README.md:3: docs/guide.md#no-such-section: no heading with that anchor in docs/guide.md",
                "docs/guide.md:3: ../README.md#titel: no heading with that anchor in README.md");
    }

    @Test
    void headingAnchorsAreMadeAsOnGitHub() {
        List<String> page = List.of(
                "# keyfailover: behaviour",
                "## §3 Marking a key by the answer",
                "### Open streams: threads, connections and virtual threads",
                "## The `generic` provider, [linked](x.md) and **bold**",
                "## snake_case and kebab-case",
                "## Notes", "## Notes", "## Notes",
                "```", "# TYPE not a heading", "```",
                "Setext heading", "---",
                "<a name=\"custom-anchor\"></a>");

        assertThat(anchors(page)).containsExactly("keyfailover-behaviour", "3-marking-a-key-by-the-answer",
                "open-streams-threads-connections-and-virtual-threads", "the-generic-provider-linked-and-bold",
                "snake_case-and-kebab-case", "notes", "notes-1", "notes-2", "setext-heading", "custom-anchor");
    }

    /** Every broken link of the pages, as {@code file:line: target: why}, file relative to the root. */
    static List<String> brokenLinks(Path root, List<Path> pages) {
        Map<Path, Set<String>> anchorsByPage = new HashMap<>();
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            List<String> lines = read(page);
            for (Link link : links(lines)) {
                String why = problem(root, page, link.target(), anchorsByPage);
                if (why != null) {
                    broken.add(relative(root, page) + ":" + link.line() + ": " + link.target() + ": " + why);
                }
            }
        }
        return broken;
    }

    private record Link(int line, String target) {
    }

    /** What is wrong with the link, or null when it resolves. */
    private static String problem(Path root, Path page, String target, Map<Path, Set<String>> anchorsByPage) {
        if (target.isEmpty()) {
            return "empty target";
        }
        if (SCHEME.matcher(target).find() || target.startsWith("//")) {
            return null;
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : decode(target.substring(hash + 1));
        Path file = path.isEmpty() ? page : page.getParent().resolve(decode(path)).normalize();
        if (!file.startsWith(root)) {
            return "points outside the repository";
        }
        if (!Files.exists(file)) {
            return "no such file";
        }
        if (anchor == null) {
            return null;
        }
        if (!file.getFileName().toString().endsWith(".md")) {
            return LINE_ANCHOR.matcher(anchor).matches() ? null : "an anchor on a file that is not markdown";
        }
        Set<String> anchors = anchorsByPage.computeIfAbsent(file, f -> anchors(read(f)));
        return anchors.contains(anchor) ? null : "no heading with that anchor in " + relative(root, file);
    }

    /** The links of a page with their line numbers, leaving out code blocks and code spans. */
    static List<Link> links(List<String> lines) {
        List<Link> links = new ArrayList<>();
        boolean[] code = codeLines(lines);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (code[i]) {
                continue;
            }
            String text = CODE_SPAN.matcher(line).replaceAll("");
            Matcher inline = INLINE_LINK.matcher(text);
            while (inline.find()) {
                String target = inline.group(1);
                if (target.startsWith("<")) {
                    target = target.substring(1, target.length() - 1);
                }
                links.add(new Link(i + 1, target));
            }
            Matcher reference = REFERENCE.matcher(text);
            if (reference.find()) {
                links.add(new Link(i + 1, reference.group(1)));
            }
        }
        return links;
    }

    /** Which lines are fenced code or its fences: neither links nor headings. */
    private static boolean[] codeLines(List<String> lines) {
        boolean[] code = new boolean[lines.size()];
        String fence = null;
        for (int i = 0; i < lines.size(); i++) {
            Matcher fenceStart = FENCE.matcher(lines.get(i));
            if (fenceStart.find()) {
                String marker = fenceStart.group(1);
                if (fence == null) {
                    fence = marker;
                    code[i] = true;
                    continue;
                }
                if (marker.charAt(0) == fence.charAt(0) && marker.length() >= fence.length()) {
                    fence = null;
                    code[i] = true;
                    continue;
                }
            }
            code[i] = fence != null;
        }
        return code;
    }

    /** The anchors of a page's headings (ATX and setext) and of its {@code <a name|id="...">}, in order. */
    static Set<String> anchors(List<String> lines) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean[] code = codeLines(lines);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (code[i]) {
                continue;
            }
            String heading = null;
            Matcher atx = ATX_HEADING.matcher(line);
            if (atx.matches()) {
                heading = atx.group(2) == null ? "" : atx.group(2);
            } else if (i + 1 < lines.size() && SETEXT_UNDERLINE.matcher(lines.get(i + 1)).matches()
                    && !line.isBlank() && !line.contains("|") && !line.startsWith("    ")) {
                heading = line.trim();
            }
            if (heading != null) {
                String slug = slug(heading);
                int count = seen.merge(slug, 1, Integer::sum);
                anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
            }
            Matcher id = HTML_ID.matcher(line);
            while (id.find()) {
                anchors.add(id.group(1));
            }
        }
        return anchors;
    }

    /**
     * GitHub's anchor of a heading: its text as rendered (a link or image by its text, markup
     * gone), lower case, every character that is not a letter, digit, space, '-' or '_' removed,
     * each space a '-'.
     */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replaceAll("<[^>]+>", "");
        StringBuilder slug = new StringBuilder();
        text.toLowerCase(Locale.ROOT).trim().codePoints().forEach(c -> {
            if (c == ' ') {
                slug.append('-');
            } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_'
                    || Character.getType(c) == Character.NON_SPACING_MARK) {
                slug.appendCodePoint(c);
            }
        });
        return slug.toString();
    }

    /** The folder holding README.md and docs/, found from the working directory upwards. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no folder with README.md and docs/ above " + Path.of("").toAbsolutePath());
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }
}
