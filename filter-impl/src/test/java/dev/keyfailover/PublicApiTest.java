package dev.keyfailover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.keyfailover.api.Provider;
import dev.keyfailover.chain.ExchangeView;
import dev.keyfailover.pool.KeyPool;
import org.junit.jupiter.api.Test;

/**
 * The public surface of both modules, checked on the compiled classes (issue 17's narrower SPI):
 * a public type never hands out a type of ours that is not public, no public method is a way to a
 * key's secret, and a public enum of the SPI or of an extension point gains no constant unnoticed
 * (a switch over it in a user's code would silently miss it): adding one means updating
 * {@code api-baseline/public-enums.txt} of its module on purpose, in the commit that adds it.
 */
class PublicApiTest {

    /** Enums of filter-impl that users meet when they extend it (a HeaderPolicy subclass). */
    private static final List<Class<?>> IMPL_EXTENSION_ENUMS = List.of(ExchangeView.KeySource.class);

    @Test
    void noPublicMemberOfAPublicTypeNamesATypeOfOursThatIsNotPublic() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : publicTypes()) {
            for (Member member : members(type)) {
                for (Class<?> used : typesIn(member)) {
                    if (isOurs(used) && !isPublic(used)) {
                        leaks.add(type.getName() + "." + member.getName() + " uses " + used.getName());
                    }
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void noPublicMethodLeadsToAKeysSecret() throws Exception {
        List<String> ways = new ArrayList<>();
        for (Class<?> type : publicTypes()) {
            for (Member member : members(type)) {
                if (member.getName().toLowerCase(java.util.Locale.ROOT).contains("secret")) {
                    ways.add(type.getName() + "." + member.getName());
                }
            }
        }
        assertThat(ways).isEmpty();
    }

    @Test
    void theSpisEnumsKeepTheirConstantsUntilTheBaselineSaysOtherwise() throws Exception {
        List<Class<?>> apiEnums = publicTypes().stream()
                .filter(type -> type.isEnum() && type.getPackageName().equals("dev.keyfailover.api")).toList();
        assertThat(apiEnums).as("the SPI has public enums").isNotEmpty();
        assertThat(constants(apiEnums)).isEqualTo(baseline(repositoryRoot().resolve("filter-api/api-baseline")));
        assertThat(constants(IMPL_EXTENSION_ENUMS))
                .isEqualTo(baseline(repositoryRoot().resolve("filter-impl/api-baseline")));
    }

    private static Map<String, String> constants(List<Class<?>> enums) {
        Map<String, String> constants = new TreeMap<>();
        for (Class<?> type : enums) {
            constants.put(type.getName(), Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", ")));
        }
        return constants;
    }

    private static Map<String, String> baseline(Path dir) throws IOException {
        Map<String, String> constants = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("public-enums.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] parts = line.split(":", 2);
                constants.put(parts[0].trim(), parts[1].trim());
            }
        }
        return constants;
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("filter-api/api-baseline"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository root").isNotNull();
        return dir;
    }

    private static List<Member> members(Class<?> type) {
        List<Member> members = new ArrayList<>();
        for (Method method : type.getDeclaredMethods()) {
            if (visible(method.getModifiers()) && !method.isSynthetic()) {
                members.add(method);
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (visible(constructor.getModifiers()) && !constructor.isSynthetic()) {
                members.add(constructor);
            }
        }
        for (Field field : type.getDeclaredFields()) {
            if (visible(field.getModifiers()) && !field.isSynthetic()) {
                members.add(field);
            }
        }
        return members;
    }

    private static List<Class<?>> typesIn(Member member) {
        List<Class<?>> types = new ArrayList<>();
        if (member instanceof Method method) {
            types.add(method.getReturnType());
        }
        if (member instanceof Executable executable) {
            types.addAll(Arrays.asList(executable.getParameterTypes()));
            types.addAll(Arrays.asList(executable.getExceptionTypes()));
        }
        if (member instanceof Field field) {
            types.add(field.getType());
        }
        return types.stream().map(type -> type.isArray() ? type.getComponentType() : type).toList();
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static boolean isOurs(Class<?> type) {
        return type.getName().startsWith("dev.keyfailover.");
    }

    private static boolean isPublic(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    /** Every public type (nested ones in public types too) of filter-api and filter-impl. */
    private static List<Class<?>> publicTypes() throws Exception {
        Map<String, Class<?>> types = new LinkedHashMap<>();
        for (Class<?> anchor : List.of(Provider.class, KeyPool.class)) {
            for (String name : classNames(anchor)) {
                Class<?> type = Class.forName(name, false, PublicApiTest.class.getClassLoader());
                if (isPublic(type) && !type.isAnonymousClass() && !type.isSynthetic()) {
                    types.put(name, type);
                }
            }
        }
        return List.copyOf(types.values());
    }

    private static List<String> classNames(Class<?> anchor) throws IOException, URISyntaxException {
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(location)) {
            return classNames(location);
        }
        try (FileSystem jar = FileSystems.newFileSystem(location)) {
            return classNames(jar.getPath("/"));
        }
    }

    private static List<String> classNames(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(file -> root.relativize(file).toString())
                    .filter(name -> name.endsWith(".class") && name.startsWith("dev/keyfailover/")
                            && !name.endsWith("package-info.class") && !name.endsWith("module-info.class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .sorted().toList();
        }
    }
}
