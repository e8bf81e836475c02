package dev.keyfailover.servlet;

/**
 * The upstream request path (path and query, as HttpCore sends it) of a base URL's path plus the
 * client's raw path rest and query, decided with {@code java.net.URI}'s own character rules
 * (RFC 2396 as {@code URI} implements it) instead of parsing a {@code URI} per request: one
 * request's hot path. Accepts exactly what {@code URI.create(base + rest + "?" + query)} accepts
 * and yields what {@code BasicHttpRequest.setUri} made of it (raw path, {@code "/"} when empty,
 * then {@code ?} and the raw query; a fragment dropped).
 */
final class UpstreamPaths {

    // java.net.URI's masks: bit c of LOW for chars below 64, bit c - 64 of HIGH for 64..127.
    private static final long LOW_ALPHANUM = lowMask('0', '9');
    private static final long HIGH_ALPHANUM = highMask('A', 'Z') | highMask('a', 'z');
    private static final long LOW_UNRESERVED = LOW_ALPHANUM | lowMask("-_.!~*'()");
    private static final long HIGH_UNRESERVED = HIGH_ALPHANUM | highMask("-_.!~*'()");
    private static final long LOW_PATH = LOW_UNRESERVED | lowMask(":@&=+$,;/");
    private static final long HIGH_PATH = HIGH_UNRESERVED | highMask(":@&=+$,;/");
    /** uric: reserved (with {@code []}, RFC 2732) or unreserved; query and fragment. */
    private static final long LOW_URIC = LOW_UNRESERVED | lowMask(";/?:@&=+$,[]");
    private static final long HIGH_URIC = HIGH_UNRESERVED | highMask(";/?:@&=+$,[]");
    private static final long LOW_HEX = lowMask('0', '9');
    private static final long HIGH_HEX = highMask('A', 'F') | highMask('a', 'f');

    private UpstreamPaths() {
    }

    /**
     * @param basePath the raw path of a base URL without query or fragment (valid, maybe empty)
     * @param tail the client's raw path after the route prefix, then {@code ?} and its raw query if it
     *     sent one
     * @return the request path, or {@code null} when {@code URI.create} would refuse the URL, or
     *     when {@code tail} would run into the authority of a base URL without a path
     */
    static String requestPath(String basePath, String tail) {
        int n = tail.length();
        if (basePath.isEmpty() && n > 0 && "/?#".indexOf(tail.charAt(0)) < 0) {
            return null;
        }
        int pathEnd = stop(tail, 0, n, true);
        if (!all(tail, 0, pathEnd, LOW_PATH, HIGH_PATH)) {
            return null;
        }
        int end = pathEnd;
        if (end < n && tail.charAt(end) == '?') {
            end = stop(tail, end + 1, n, false);
            if (!all(tail, pathEnd + 1, end, LOW_URIC, HIGH_URIC)) {
                return null;
            }
        }
        if (end < n && !all(tail, end + 1, n, LOW_URIC, HIGH_URIC)) {
            return null; // tail.charAt(end) is '#': a fragment, checked, never sent
        }
        if (basePath.isEmpty() && pathEnd == 0) {
            return "/" + tail.substring(0, end);
        }
        return basePath + (end == n ? tail : tail.substring(0, end));
    }

    /** The first {@code #} (or {@code ?} too, for the path) from {@code from}, else {@code n}. */
    private static int stop(String s, int from, int n, boolean questionMarkToo) {
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (c == '#' || questionMarkToo && c == '?') {
                return i;
            }
        }
        return n;
    }

    /** Whether every char of {@code s[from, to)} is allowed by the masks, an escape or a visible non-ASCII char. */
    private static boolean all(String s, int from, int to, long low, long high) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (matches(c, low, high)) {
                i++;
            } else if (c == '%') {
                if (i + 3 > to || !matches(s.charAt(i + 1), LOW_HEX, HIGH_HEX)
                        || !matches(s.charAt(i + 2), LOW_HEX, HIGH_HEX)) {
                    return false;
                }
                i += 3;
            } else if (c > 128 && !Character.isSpaceChar(c) && !Character.isISOControl(c)) {
                i++; // URI's "other" chars: unescaped but visible non-US-ASCII
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(char c, long low, long high) {
        if (c == 0) {
            return false;
        }
        if (c < 64) {
            return (1L << c & low) != 0;
        }
        return c < 128 && (1L << (c - 64) & high) != 0;
    }

    private static long lowMask(String chars) {
        long mask = 0;
        for (char c : chars.toCharArray()) {
            mask |= c < 64 ? 1L << c : 0;
        }
        return mask;
    }

    private static long highMask(String chars) {
        long mask = 0;
        for (char c : chars.toCharArray()) {
            mask |= c >= 64 && c < 128 ? 1L << (c - 64) : 0;
        }
        return mask;
    }

    private static long lowMask(char first, char last) {
        long mask = 0;
        for (char c = first; c <= last; c++) {
            mask |= c < 64 ? 1L << c : 0;
        }
        return mask;
    }

    private static long highMask(char first, char last) {
        long mask = 0;
        for (char c = first; c <= last; c++) {
            mask |= c >= 64 && c < 128 ? 1L << (c - 64) : 0;
        }
        return mask;
    }
}
