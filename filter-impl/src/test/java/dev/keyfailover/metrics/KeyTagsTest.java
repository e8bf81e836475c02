package dev.keyfailover.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;

import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyHint;
import dev.keyfailover.pool.KeyId;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.LocalKeyStateStore;
import dev.keyfailover.pool.Sleeper;
import dev.keyfailover.settings.PoolSettings;
import org.junit.jupiter.api.Test;

/** The key tag of the meters (behaviour.md §14): the hint, with {@code #index} where hints collide. */
class KeyTagsTest {

    private static final String LONG = "sk-aaaa-000000000001";
    private static final String SHORT_1 = "short1";
    private static final String SHORT_2 = "short2";

    private final List<Key> keys = new KeyPool("openai", List.of(LONG, SHORT_1, SHORT_2), Clock.systemUTC(),
            PoolSettings.defaults(), Sleeper.THREAD, LocalKeyStateStore.INSTANCE).keys();
    private final KeyTags tags = new KeyTags();

    @Test
    void aKeyIsTaggedByItsHintAndKeysSharingOneByHintAndIndex() {
        tags.addAll(keys);

        assertThat(tags.tagOf(keys.get(0))).isEqualTo(KeyHint.of(LONG));
        assertThat(tags.tagOf(keys.get(1))).isEqualTo("****#1");
        assertThat(tags.tagOf(keys.get(2).id())).isEqualTo("****#2");
    }

    @Test
    void aKeyTheTagsDoNotKnowIsTaggedByItsHintAndARemovedKeyLosesItsTag() {
        tags.addAll(keys.subList(0, 1));

        assertThat(tags.tagOf(new KeyId(9, "sk-z...zzzz", "0123456789abcdef"))).as("joined after the tags were made")
                .isEqualTo("sk-z...zzzz");
        assertThat(tags.tagOf(keys.get(2))).isNull();

        tags.remove(keys.get(0));
        assertThat(tags.tagOf(keys.get(0))).isNull();
        assertThat(tags.tagOf(keys.get(0).id())).isEqualTo(KeyHint.of(LONG));
    }

    @Test
    void aKeyAddedWhileItsHintIsStillAnotherKeysTagGetsItsIndex() {
        tags.addAll(keys.subList(1, 2));
        tags.addAll(keys.subList(2, 3));

        assertThat(tags.tagOf(keys.get(1))).isEqualTo("****");
        assertThat(tags.tagOf(keys.get(2))).isEqualTo("****#2");
    }
}
