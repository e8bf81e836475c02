package dev.keyfailover.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.mockito.invocation.Invocation;

import dev.keyfailover.api.ProviderFactory;
import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.config.AdminConfig;
import dev.keyfailover.config.ConfigException;
import dev.keyfailover.config.ParameterSource;
import dev.keyfailover.config.Placeholders;
import dev.keyfailover.config.RouteConfig;

/**
 * docs/configuration.md's parameter tables name exactly the init-params the code reads. The names
 * are taken from the code as it runs, not from a list kept here: every name a route's
 * configuration asks for (for each built-in provider type), every property a built-in provider
 * factory asks for, every name of the status surface's configuration, and the init-params a
 * servlet or filter reads itself ({@code getInitParameter("…")} in the main sources).
 */
class InitParametersDocumentedTest {

    /** A literal init-param read by a servlet or filter itself. */
    private static final Pattern OWN_INIT_PARAMETER = Pattern.compile("getInitParameter\\(\"(\\w+)\"\\)");
    private static final Pattern CODE_NAME = Pattern.compile("`(\\w+)`");

    @Test
    void everyInitParameterIsDocumented() throws Exception {
        Set<String> known = knownToTheCode();
        Set<String> documented = documented(Files.readAllLines(configurationPage(), StandardCharsets.UTF_8));

        // One from each source, so that a derivation that quietly found nothing fails here.
        assertThat(known).contains("provider", "keysFile", "on403", "authScheme", "adminToken", "pathPrefix", "metricsUrl");
        assertThat(new TreeSet<>(known)).as("init-params the code reads but docs/configuration.md has no row for")
                .isSubsetOf(documented);
    }

    @Test
    void everyDocumentedParameterIsKnownToTheCode() throws Exception {
        Set<String> documented = documented(Files.readAllLines(configurationPage(), StandardCharsets.UTF_8));

        assertThat(new TreeSet<>(documented)).as("rows of docs/configuration.md the code does not read")
                .isSubsetOf(knownToTheCode());
    }

    @Test
    void onlyTheFirstCellOfAParameterTableDocumentsAName() {
        List<String> page = List.of(
                "Prose naming `proseOnly` is no row.",
                "| parameter | default | meaning |",
                "|---|---|---|",
                "| `first`, `second` | `notADefault` | see `notAName` |",
                "",
                "| variable | default | meaning |",
                "|---|---|---|",
                "| `OTHER_TABLE` | | |");

        assertThat(documented(page)).containsExactlyInAnyOrder("first", "second");
    }

    /** The names in the first column of the page's tables whose first header is "parameter". */
    static Set<String> documented(List<String> lines) {
        Set<String> names = new TreeSet<>();
        boolean parameterTable = false;
        for (String line : lines) {
            if (!line.startsWith("|")) {
                parameterTable = false;
                continue;
            }
            String first = line.split("\\|", -1)[1].trim();
            if (first.equals("parameter")) {
                parameterTable = true;
            } else if (parameterTable) {
                Matcher name = CODE_NAME.matcher(first);
                while (name.find()) {
                    names.add(name.group(1));
                }
            }
        }
        return names;
    }

    private static Set<String> knownToTheCode() throws IOException {
        Set<String> names = new TreeSet<>();
        for (ProviderFactory factory : builtInFactories()) {
            names.addAll(askedByRouteConfig(factory.type()));
            names.addAll(askedByProvider(factory));
        }
        names.addAll(askedByAdminConfig());
        names.addAll(readByServletsThemselves());
        return names;
    }

    private static List<ProviderFactory> builtInFactories() {
        return ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(factory -> factory.getClass().getPackageName().equals("dev.keyfailover.provider")).toList();
    }

    private static Set<String> askedByRouteConfig(String providerType) {
        Set<String> asked = new TreeSet<>();
        ParameterSource source = recording(asked, Map.of("provider", providerType, "baseUrl", "https://upstream.example"));
        try {
            RouteConfig.parse("servlet 'docs'", "docs", source, Placeholders.system());
        } catch (ConfigException e) {
            throw new AssertionError("a route with only provider and baseUrl must start: " + e.getMessage(), e);
        }
        return asked;
    }

    private static Set<String> askedByAdminConfig() {
        Set<String> asked = new TreeSet<>();
        try {
            AdminConfig.parse("servlet 'status'", recording(asked, Map.of()), Placeholders.system());
        } catch (ConfigException e) {
            throw new AssertionError("a status servlet without parameters must start: " + e.getMessage(), e);
        }
        return asked;
    }

    /** A provider reads its properties through {@code ProviderSettings.property}; every key it asks for. */
    private static Set<String> askedByProvider(ProviderFactory factory) {
        ProviderSettings settings = Mockito.spy(new ProviderSettings("docs", URI.create("https://upstream.example"),
                Map.of()));
        factory.create(settings);
        Set<String> asked = new TreeSet<>();
        for (Invocation call : Mockito.mockingDetails(settings).getInvocations()) {
            // property(key), property(key, default), headerNames(key, defaults): the key comes first.
            if (call.getArguments().length > 0 && call.getArguments()[0] instanceof String key) {
                asked.add(key);
            }
        }
        return asked;
    }

    /** Names whose values the source is asked for; the given values, none for the others. */
    private static ParameterSource recording(Set<String> asked, Map<String, String> values) {
        return new ParameterSource(name -> {
            asked.add(name);
            return values.get(name);
        }, Collections.emptyEnumeration(), name -> null, Collections.emptyEnumeration());
    }

    private static Set<String> readByServletsThemselves() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(DocumentationLinksTest.repositoryRoot().resolve("filter-impl/src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher read = OWN_INIT_PARAMETER.matcher(Files.readString(source, StandardCharsets.UTF_8));
                while (read.find()) {
                    names.add(read.group(1));
                }
            }
        }
        return names;
    }

    private static Path configurationPage() {
        return DocumentationLinksTest.repositoryRoot().resolve("docs/configuration.md");
    }
}
