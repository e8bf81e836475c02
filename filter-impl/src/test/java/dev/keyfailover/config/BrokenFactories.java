package dev.keyfailover.config;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProviderFactory;
import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.provider.OpenAiProviderFactory;

/**
 * Provider factories listed in a service file of their own class loader (not in the test class
 * path's, which every other test reads): one whose class is missing, one whose constructor throws,
 * and a good one listed after them.
 */
public final class BrokenFactories {

    /** Listed in the service file, absent from every class path. */
    public static final String MISSING = "com.example.NoSuchProviderFactory";

    private BrokenFactories() {
    }

    /** A factory that cannot be made, like one that needs a licence file it does not find. */
    public static final class Throwing implements ProviderFactory {
        public Throwing() {
            throw new IllegalStateException("no licence file in /etc/acme");
        }

        @Override
        public String type() {
            return "throwing";
        }

        @Override
        public Provider create(ProviderSettings settings) {
            throw new AssertionError("never made");
        }
    }

    /** A good factory listed after the broken ones: type {@code late}, OpenAI's behaviour. */
    public static final class Late implements ProviderFactory {
        @Override
        public String type() {
            return "late";
        }

        @Override
        public Provider create(ProviderSettings settings) {
            return new OpenAiProviderFactory().create(settings);
        }
    }

    /**
     * A class loader over {@code dir} whose service file lists the missing factory, the throwing one
     * and then the late one; its parent (the test class path) adds the built-ins.
     */
    public static URLClassLoader loader(Path dir) throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(ProviderFactory.class.getName()),
                "# a broken jar\n" + MISSING + "\n" + Throwing.class.getName() + "\n" + Late.class.getName() + "\n");
        try {
            return new URLClassLoader(new URL[] {dir.toUri().toURL()}, BrokenFactories.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IOException(e);
        }
    }
}
