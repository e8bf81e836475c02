package dev.keyfailover.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** The pool keys of the secrets tests, and the check that a text holds none of them. */
final class Secrets {

    static final String LIMITED = "sk-live-LIMITED-7f3a9c2e51d04b8a";
    static final String REVOKED = "sk-live-REVOKED-0c94d6e8a2b7f135";
    static final String REFUSED = "sk-live-REFUSED-e1b5a7c3d9f24680";
    static final String GOOD = "sk-live-GOODKEY-4d2f8b6a0e9c1357";
    static final String CLIENTS_OWN = "sk-proj-CLIENTSOWN-9a8b7c6d5e4f3a2b";
    /** A client's Gemini {@code ?key=} on a route whose requests are served by the pool ({@code byok=deny}). */
    static final String CLIENTS_QUERY = "AIzaSy-CLIENTSQUERY-5c4d3e2f1a0b9c8d";
    static final List<String> POOL = List.of(LIMITED, REVOKED, REFUSED, GOOD);
    static final String POOL_PARAM = String.join(",", POOL);

    private Secrets() {
    }

    /** Asserts that no key, nor the random middle that makes it a key, appears in the text. */
    static void assertNoKeyIn(String where, String text, List<String> keys) {
        for (String key : keys) {
            String middle = key.substring(key.length() - 16, key.length() - 4);
            assertThat(text).as(where + " holds key " + key.substring(0, 8) + "…").doesNotContain(key)
                    .doesNotContain(middle);
        }
    }
}
