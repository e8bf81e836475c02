package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Issue 17: the JSON-P provider is looked up once ({@link Jsons}), not by a ServiceLoader scan on
 * every answer the proxy makes itself or every full parse of a request body.
 */
class JsonsTest {

    private static final String SERVICE_FILE = "META-INF/services/jakarta.json.spi.JsonProvider";

    @Test
    void answersOfTheProxyAndBodyParsesLookNoProviderUp() {
        ProxyResponses.generic(502, "api_error", "first use");
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        LookupCounter counter = new LookupCounter(saved);
        thread.setContextClassLoader(counter);
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(ProxyResponses.generic(502, "api_error", "upstream failed").getCode()).isEqualTo(502);
                assertThat(TopLevelString.parse(new ByteArrayInputStream(
                        "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8)), "model")).isEqualTo("m");
            }
        } finally {
            thread.setContextClassLoader(saved);
        }

        assertThat(counter.lookups.get()).as("ServiceLoader scans for a JsonProvider").isZero();
    }

    @Test
    void noMainSourceCallsJsonCreateDirectly() throws IOException {
        Path sources = Path.of("src/main/java");
        assertThat(sources).as("run from the module's directory").isDirectory();
        Pattern call = Pattern.compile("\\bJson\\s*\\.\\s*create");
        List<Path> java;
        try (Stream<Path> files = Files.walk(sources)) {
            java = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertThat(java).as("main sources").isNotEmpty();

        assertThat(java.stream().filter(f -> call.matcher(read(f)).find())).isEmpty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A thread context class loader that counts the searches for JSON-P provider files. */
    private static final class LookupCounter extends ClassLoader {
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
