package dev.keyfailover.provider;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.hc.core5.http.HttpRequest;

/**
 * The {@code key} query parameter, in which Google's APIs take an API key (behaviour.md §15): a
 * client's credential, found and taken off the request URI without decoding or re-encoding the
 * other parameters.
 */
final class KeyQueryParameter {

    static final String NAME = "key";

    private KeyQueryParameter() {
    }

    /** Whether the request's URI carries a {@code key} parameter (empty or not). */
    static boolean isOn(HttpRequest request) {
        String query = query(request.getPath());
        if (query == null) {
            return false;
        }
        for (String parameter : query.split("&", -1)) {
            if (isKey(parameter)) {
                return true;
            }
        }
        return false;
    }

    /** The first non-empty {@code key} parameter's value, decoded; {@code null} when there is none. */
    static String value(HttpRequest request) {
        List<String> values = values(request);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The values of every non-empty {@code key} parameter, URL-decoded (a malformed escape as sent). */
    static List<String> values(HttpRequest request) {
        String query = query(request.getPath());
        if (query == null) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (String parameter : query.split("&", -1)) {
            int equals = parameter.indexOf('=');
            if (isKey(parameter) && equals >= 0 && equals < parameter.length() - 1) {
                String raw = parameter.substring(equals + 1);
                try {
                    values.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    values.add(raw);
                }
            }
        }
        return values;
    }

    /** Takes every {@code key} parameter off the request's URI; the others stay as sent, in order. */
    static void strip(HttpRequest request) {
        String path = request.getPath();
        String query = query(path);
        if (query == null) {
            return;
        }
        StringBuilder kept = new StringBuilder();
        boolean stripped = false;
        for (String parameter : query.split("&", -1)) {
            if (isKey(parameter)) {
                stripped = true;
            } else if (!parameter.isEmpty()) {
                kept.append(kept.length() == 0 ? "" : "&").append(parameter);
            }
        }
        if (stripped) {
            String bare = path.substring(0, path.indexOf('?'));
            request.setPath(kept.length() == 0 ? bare : bare + "?" + kept);
        }
    }

    private static String query(String path) {
        if (path == null) {
            return null;
        }
        int mark = path.indexOf('?');
        return mark < 0 ? null : path.substring(mark + 1);
    }

    private static boolean isKey(String parameter) {
        int equals = parameter.indexOf('=');
        String name = equals < 0 ? parameter : parameter.substring(0, equals);
        return name.equals(NAME);
    }
}
