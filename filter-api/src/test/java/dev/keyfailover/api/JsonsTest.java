package dev.keyfailover.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Issue 17: the JSON-P provider is looked up once ({@link Jsons}), not by a ServiceLoader scan on
 * every error body read and every error answer written.
 */
class JsonsTest {

    private static final String SERVICE_FILE = "META-INF/services/jakarta.json.spi.JsonProvider";

    @Test
    void readingErrorBodiesAndWritingErrorAnswersLooksNoProviderUp() {
        ErrorFormat.OPENAI.failure(ProxyFailure.BAD_GATEWAY, "first use");
        ErrorBody.parse("{}");
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        LookupCounter counter = new LookupCounter(saved);
        thread.setContextClassLoader(counter);
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(ErrorBody.parse("{\"error\":{\"type\":\"insufficient_quota\",\"message\":\"m\"}}").type())
                        .isEqualTo("insufficient_quota");
                ErrorFormat.OPENAI.failure(ProxyFailure.BAD_GATEWAY, "upstream failed");
                ErrorFormat.ANTHROPIC.exhausted(new KeyPoolExhaustion("anthropic",
                        KeyPoolExhaustion.Kind.RATE_LIMITED, Duration.ofSeconds(3)));
            }
        } finally {
            thread.setContextClassLoader(saved);
        }

        assertThat(counter.lookups.get()).as("ServiceLoader scans for a JsonProvider").isZero();
    }

    @Test
    void noMainSourceCallsJsonCreateDirectly() throws IOException {
        assertThat(callersOfJsonCreate(Path.of("src/main/java"))).isEmpty();
    }

    /** The main sources that call {@code jakarta.json.Json}'s factory methods, each one a provider lookup. */
    static List<Path> callersOfJsonCreate(Path sources) throws IOException {
        assertThat(sources).as("run from the module's directory").isDirectory();
        Pattern call = Pattern.compile("\\bJson\\s*\\.\\s*create");
        try (Stream<Path> files = Files.walk(sources)) {
            List<Path> java = files.filter(f -> f.toString().endsWith(".java")).toList();
            assertThat(java).as("main sources").isNotEmpty();
            return java.stream().filter(f -> {
                try {
                    return call.matcher(Files.readString(f)).find();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    /** A thread context class loader that counts the searches for JSON-P provider files. */
    static final class LookupCounter extends ClassLoader {
        final AtomicInteger lookups = new AtomicInteger();

        LookupCounter(ClassLoader parent) {
            super(parent);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            if (name.equals(SERVICE_FILE)) {
                lookups.incrementAndGet();
            }
            return super.getResources(name);
        }
    }
}
