package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Random;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The per-request path without a {@code URI}: it must accept exactly what {@code URI.create} of the
 * whole URL accepted (the rest is answered 400) and send byte for byte the path HttpCore made of
 * that URI.
 */
class UpstreamPathsTest {

    static final long SEED = 20261206L;
    static final int CASES = 100_000;
    static final String[] BASES = {"https://api.example.com", "http://127.0.0.1:8080/base",
        "https://h.example/v1beta/openai", "http://[::1]:9/x;p=1/%41", "https://h.example/"};
    /** Characters java.net.URI treats differently: controls, spaces, separators, surrogates, marks. */
    static final char[] NON_ASCII = {'\u0080', '\u0081', '\u0085', '\u009f', '\u00a0', '\u00e9', '\u00ff', '\u1680',
        '\u2000', '\u200b', '\u2028', '\u2029', '\u202f', '\u3000', '\ufeff', '\ufffd', '\uffff', '\ud83d', '\ude00',
        '\u061c', '\u180e', '\u0100'};
    static final String PLAIN = "abcXYZ019-_.!~*'();/?:@&=+$,[]%#";

    @Test
    void acceptsExactlyWhatUriCreateAcceptsAndSendsTheSamePath() {
        Random random = new Random(SEED);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            String base = BASES[random.nextInt(BASES.length)];
            String rest = random.nextInt(10) == 0 ? hostile(random) : "/" + hostile(random);
            if (random.nextInt(8) == 0) {
                rest = "";
            }
            String query = switch (random.nextInt(4)) {
                case 0 -> null;
                case 1 -> "";
                default -> hostile(random);
            };
            String tail = query == null ? rest : rest + "?" + query;
            String today = todaysPath(base + tail);
            String fast = UpstreamPaths.requestPath(URI.create(base).getRawPath(), tail);
            String what = "case " + i + ": base " + base + " rest [" + rest + "] query [" + query + "]";
            if (URI.create(base).getRawPath().isEmpty() && !rest.isEmpty() && "/?#".indexOf(rest.charAt(0)) < 0) {
                assertThat(fast).as(what + " (left to URI.create: it would extend the authority)").isNull();
                continue;
            }
            assertThat(fast).as(what).isEqualTo(today);
            if (today == null) {
                refused++;
            } else {
                accepted++;
            }
        }
        assertThat(accepted).as("cases URI.create accepted").isGreaterThan(CASES / 10);
        assertThat(refused).as("cases URI.create refused").isGreaterThan(CASES / 10);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "/v1|/chat/completions|NULL|/v1/chat/completions",
        "''|''|NULL|/",
        "''|''|''|/?",
        "''|''|a=1|/?a=1",
        "/v1|''|NULL|/v1",
        "/v1|/models|key=x#frag|/v1/models?key=x",
        "/v1|/a%2Fb|q=[1]|/v1/a%2Fb?q=[1]",
        "/v1|/a[1]|NULL|NULL",
        "/v1|/a|q=%zz|NULL",
        "/v1|/a|q=1#a#b|NULL",
        "/v1|/caf\u00e9|q=\u00e9|/v1/caf\u00e9?q=\u00e9",
        "/v1|/a|q=\u00a0|NULL"})
    void edgesOfUrisRulesAreKept(String basePath, String rest, String query, String sent) {
        assertThat(UpstreamPaths.requestPath(basePath, rest + (query == null ? "" : "?" + query))).isEqualTo(sent);
    }

    private static String todaysPath(String url) {
        try {
            return new HttpUriRequestBase("POST", URI.create(url)).getPath();
        } catch (IllegalArgumentException refused) {
            return null;
        }
    }

    private static String hostile(Random random) {
        int length = random.nextInt(12);
        StringBuilder s = new StringBuilder(length + 4);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(20);
            if (kind == 0) {
                s.append((char) random.nextInt(128));
            } else if (kind == 1) {
                s.append(NON_ASCII[random.nextInt(NON_ASCII.length)]);
            } else if (kind == 2) {
                s.append((char) (0x80 + random.nextInt(0xff80)));
            } else if (kind == 3) {
                s.append('%').append("0aF9gZ%".charAt(random.nextInt(7)));
            } else {
                s.append(PLAIN.charAt(random.nextInt(PLAIN.length())));
            }
        }
        return s.toString();
    }
}
