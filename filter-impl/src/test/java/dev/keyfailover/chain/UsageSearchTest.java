package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The searches for a usage key, forward and back, find what a byte-by-byte search finds, wherever it lies (§16). */
class UsageSearchTest {

    private static final String KEY = "\"usage";

    @Test
    void findsTheKeyAtEveryPlaceAndWithinEveryRange() {
        String filler = "{\"id\":\"x\",\"usagf\":1,\"\\\"usage\\\"\":\"sage\",\"e\":\"\"u\"}";
        for (int at = 0; at <= filler.length(); at++) {
            byte[] b = (filler.substring(0, at) + KEY + filler.substring(at)).getBytes(StandardCharsets.US_ASCII);
            for (int from = 0; from <= b.length; from++) {
                for (int to = from; to <= b.length; to++) {
                    assertThat(UsageKeys.indexOfUsage(b, from, to)).as("at %d in [%d, %d)", at, from, to)
                            .isEqualTo(naive(b, from, to));
                    assertThat(UsageKeys.lastIndexOfUsage(b, from, to)).as("back, at %d in [%d, %d)", at, from, to)
                            .isEqualTo(naiveBack(b, from, to));
                }
            }
        }
    }

    @Test
    void agreesWithAByteByByteSearchOnRandomText() {
        Random random = new Random(22);
        byte[] alphabet = "\"usagef{}:, ".getBytes(StandardCharsets.US_ASCII);
        for (int round = 0; round < 2_000; round++) {
            byte[] b = new byte[random.nextInt(64)];
            for (int i = 0; i < b.length; i++) {
                b[i] = alphabet[random.nextInt(alphabet.length)];
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length);
            assertThat(UsageKeys.indexOfUsage(b, from, b.length)).isEqualTo(naive(b, from, b.length));
            int to = b.length == 0 ? 0 : from + random.nextInt(b.length - from + 1);
            assertThat(UsageKeys.lastIndexOfUsage(b, from, to)).isEqualTo(naiveBack(b, from, to));
        }
    }

    @Test
    void theSearchBackFindsEveryKeyInTurnFromTheEnd() {
        byte[] b = "\"usage\"usage\"usag\"usage".getBytes(StandardCharsets.US_ASCII);
        int first = UsageKeys.lastIndexOfUsage(b, 0, b.length);
        int second = UsageKeys.lastIndexOfUsage(b, 0, first + UsageKeys.KEY_LENGTH - 1);
        int third = UsageKeys.lastIndexOfUsage(b, 0, second + UsageKeys.KEY_LENGTH - 1);
        assertThat(new int[] {first, second, third, UsageKeys.lastIndexOfUsage(b, 0, third + UsageKeys.KEY_LENGTH - 1)})
                .containsExactly(17, 6, 0, -1);
    }

    private static int naiveBack(byte[] b, int from, int to) {
        int found = -1;
        for (int at = naive(b, from, to); at >= 0; at = naive(b, at + 1, to)) {
            found = at;
        }
        return found;
    }

    private static int naive(byte[] b, int from, int to) {
        byte[] key = KEY.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = from; i <= to - key.length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (b[i + j] != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
