package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import dev.keyfailover.testing.FakeUpstream;

/** What an upstream may see of a forwarded request: its own host, and a path below the base URL's path. */
final class UpstreamView {

    private UpstreamView() {
    }

    static void assertConfined(FakeUpstream upstream, String basePath, String because) {
        String authority = upstream.baseUri().getAuthority();
        for (FakeUpstream.RecordedRequest seen : upstream.requests()) {
            assertThat(seen.header("Host")).as(because + ": Host of " + seen).isEqualTo(authority);
            assertThat(seen.path()).as(because + ": path of " + seen).satisfiesAnyOf(
                    path -> assertThat(path).isEqualTo(basePath),
                    path -> assertThat(path).startsWith(basePath + "/"));
            assertThat(hasDotSegment(seen.path())).as(because + ": dot segment in " + seen).isFalse();
            assertThat(seen.headers()).as(because + ": injected header in " + seen)
                    .noneMatch(header -> header.getKey().toLowerCase(Locale.ROOT).contains("injected"));
        }
    }

    static boolean hasDotSegment(String rawPath) {
        String decoded = rawPath.toLowerCase(Locale.ROOT).replace("%2e", ".").replace("%2f", "/").replace("%5c", "/")
                .replace('\\', '/');
        for (String segment : decoded.split("/", -1)) {
            String name = segment.contains(";") ? segment.substring(0, segment.indexOf(';')) : segment;
            if (name.equals(".") || name.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
