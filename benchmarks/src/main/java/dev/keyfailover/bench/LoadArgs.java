package dev.keyfailover.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The load generator's {@code key=value} arguments (see {@link LoadGen}) and what every mode derives from them: the
 * candidate's port and authority, the route prefix, the request headers (key, Portkey's config).
 */
final class LoadArgs {

    private final Map<String, String> args = new HashMap<>();

    static LoadArgs parse(String[] argv) {
        LoadArgs parsed = new LoadArgs();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            parsed.args.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return parsed;
    }

    /** The value, else {@code fallback}; no value and no fallback ({@code null}) is an error. */
    String arg(String name, String fallback) {
        String value = args.getOrDefault(name, fallback);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }

    int intArg(String name, int fallback) {
        return Integer.parseInt(arg(name, String.valueOf(fallback)));
    }

    int port() {
        return intArg("port", 0);
    }

    String authority() {
        return "127.0.0.1:" + port();
    }

    /** The route prefix (empty for direct) followed by {@code path}. */
    String path(String path) {
        return arg("prefix", "") + path;
    }

    /** A new connection to the candidate, reads failing after {@code readTimeoutMs}. */
    MiniHttp connect(int readTimeoutMs) throws IOException {
        return new MiniHttp("127.0.0.1", port(), readTimeoutMs);
    }

    /** {@code more}, then the {@code header} argument if any, then the bearer key unless {@code auth} is {@code none}. */
    String[] authHeaders(String... more) {
        String auth = arg("auth", "none");
        List<String> headers = new ArrayList<>(List.of(more));
        if (args.containsKey("header")) {
            headers.add(args.get("header"));
        }
        if (!auth.equals("none")) {
            headers.add("Authorization: Bearer " + auth);
        }
        return headers.toArray(String[]::new);
    }
}
