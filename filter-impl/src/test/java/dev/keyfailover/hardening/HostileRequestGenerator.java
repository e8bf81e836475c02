package dev.keyfailover.hardening;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/** Seeded random request heads built from pieces known to trip proxies: paths, headers and odd bytes. */
final class HostileRequestGenerator {

    /** One generated request: the path after the route prefix as sent, and the whole request as bytes. */
    record Case(String rawRest, byte[] bytes, String description) {
    }

    static final List<String> SEGMENTS = List.of("v1", "chat", "completions", "models", "files", "a%20b", "%2Bc",
            "..", ".", "%2e", "%2E%2e", ".%2e", "%2f", "%2F..", "%5c", "%00", "%0d%0a", "%0a", "", "@EVIL", "EVIL",
            ":", "x;y=1", "..;", "%25", "%252e%252e", "%C3%A9", "~user", "!$&'()*+,=", "http:", "%3f", "%23", "\u00e9",
            "a".repeat(300));
    static final List<String> HEADER_NAMES = List.of("Host", "X-Forwarded-Host", "Forwarded", "X-Forwarded-For",
            "X-Original-URL", "X-Rewrite-URL", "Connection", "Proxy-Authorization", "Cookie", "Expect", "TE",
            "Upgrade", "Content-Type", "Accept", "X-Random", "anthropic-beta", "OpenAI-Organization");
    static final List<String> HEADER_VALUES = List.of("EVIL", "http://EVIL/", "host=EVIL", "close, Host", "Authorization",
            "/admin", "100-continue", "trailers", "h2c", "websocket", "application/json", "a\u010aX-Injected: 1",
            "a\u010d\u010aX-Injected: 2", "%0d%0aX-Injected: 3", "\u00ff\u00fe", "", "  padded  ",
            "v".repeat(2000));

    private final Random random;
    private final String evilAuthority;

    HostileRequestGenerator(long seed, String evilAuthority) {
        this.random = new Random(seed);
        this.evilAuthority = evilAuthority;
    }

    Case next() {
        StringBuilder rest = new StringBuilder();
        int segments = 1 + random.nextInt(5);
        for (int i = 0; i < segments; i++) {
            rest.append('/').append(pick(SEGMENTS).replace("EVIL", evilAuthority));
        }
        String query = random.nextInt(3) == 0 ? "?q=" + pick(SEGMENTS).replace("EVIL", evilAuthority) : "";
        StringBuilder head = new StringBuilder(random.nextInt(8) == 0 ? "POST" : "GET").append(" /app/openai")
                .append(rest).append(query).append(" HTTP/1.1\r\nHost: proxy.example\r\n");
        int headers = random.nextInt(6);
        for (int i = 0; i < headers; i++) {
            head.append(pick(HEADER_NAMES)).append(": ").append(pick(HEADER_VALUES).replace("EVIL", evilAuthority))
                    .append("\r\n");
        }
        head.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
        // Headers and paths travel as UTF-8 bytes, so a character such as U+010A puts 0xC4 0x8A on the wire.
        return new Case(rest.toString(), head.toString().getBytes(StandardCharsets.UTF_8), head.toString());
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }
}
