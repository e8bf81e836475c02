package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyId;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeyState;
import dev.keyfailover.pool.KeyWalk;
import dev.keyfailover.pool.LocalKeyStateStore;
import dev.keyfailover.pool.Sleeper;
import dev.keyfailover.settings.AccessSettings;
import dev.keyfailover.settings.Budget;
import dev.keyfailover.settings.ClientToken;
import dev.keyfailover.settings.PoolSettings;
import dev.keyfailover.settings.UsageSettings;
import dev.keyfailover.testing.MutableClock;
import dev.keyfailover.testing.logging.CapturedLogs;
import org.junit.jupiter.api.Test;

/** behaviour.md §16: key and client budgets with a fake clock (no sleeping for a window). */
class BudgetsTest {

    private static final Instant TEN_PM = Instant.parse("2026-03-01T22:00:00Z");
    private static final Instant MIDNIGHT = Instant.parse("2026-03-02T00:00:00Z");

    private final MutableClock clock = new MutableClock(TEN_PM);
    private final List<String> spent = new ArrayList<>();
    private final FailoverEvents events = new FailoverEvents() {
        @Override
        public void keyBudgetSpent(KeyId key, String budget, Instant reset) {
            spent.add(key.index() + " " + budget + " " + reset);
        }
    };
    // maxCooldown of a minute: a budget's cooldown is not capped by it.
    private final KeyPool pool = new KeyPool("openai", List.of("sk-first-0000000000001", "sk-second-000000000002"), clock,
            PoolSettings.defaults().withMaxCooldown(Duration.ofMinutes(1)), Sleeper.THREAD, LocalKeyStateStore.INSTANCE);
    private final Key first = pool.keys().get(0);
    private final Key second = pool.keys().get(1);

    private Budgets budgets(String keyBudget, String clientBudget) {
        UsageSettings usage = new UsageSettings(UsageSettings.StreamUsage.OFF, 100,
                Optional.ofNullable(keyBudget).map(Budget::parse), Optional.ofNullable(clientBudget).map(Budget::parse));
        return Budgets.of("openai", usage, pool, LocalKeyStateStore.INSTANCE.budgetCounts(), clock, events,
                ClientAccess.open());
    }

    private Key next(String model) {
        KeyWalk walk = pool.walk(model);
        return walk.next();
    }

    @Test
    void spentKeyCoolsForEveryModelUntilMidnightUtc() {
        Budgets budgets = budgets("100 tokens per day", null);

        budgets.keyAnswered(first.id(), 60);
        assertThat(first.state(clock.instant())).isEqualTo(KeyState.VALID);
        budgets.keyAnswered(first.id(), 50);

        assertThat(first.state(clock.instant())).isEqualTo(KeyState.COOLING);
        assertThat(budgets.keyCoolsForBudget(first)).isTrue();
        assertThat(budgets.key(first.fingerprint())).contains(
                new Budgets.Spending(Budget.parse("100 tokens per day"), 110, MIDNIGHT));
        assertThat(next("gpt-4o")).isSameAs(second);
        assertThat(next("o3")).isSameAs(second);
        assertThat(next(null)).isSameAs(second);
        assertThat(spent).containsExactly("0 100 tokens per day " + MIDNIGHT);
    }

    @Test
    void everyKeySpentWaitsExactlyUntilTheResetNotMaxCooldown() {
        Budgets budgets = budgets("1 requests per day", null);
        budgets.keyAnswered(first.id(), 0);
        clock.advance(Duration.ofMinutes(30));
        budgets.keyAnswered(second.id(), 0);

        assertThat(next("gpt-4o")).isNull();
        assertThat(pool.soonestCooldownEnd("gpt-4o")).contains(Duration.ofMinutes(90));
        assertThat(spent).hasSize(2);
    }

    @Test
    void spentKeyIsNeverUsedNorProbedBeforeItsWindowResets() {
        Budgets budgets = budgets("1 requests per day", null);
        budgets.keyAnswered(first.id(), 0);
        budgets.keyAnswered(second.id(), 0);

        clock.advance(Duration.between(TEN_PM, MIDNIGHT).minusMillis(1));
        assertThat(next("gpt-4o")).isNull();
        assertThat(first.state(clock.instant())).isEqualTo(KeyState.COOLING);

        clock.advance(Duration.ofMillis(1));
        assertThat(next("gpt-4o")).isSameAs(first);
        assertThat(budgets.key(first.fingerprint()).orElseThrow().spent()).isZero();
        assertThat(budgets.keyCoolsForBudget(first)).isFalse();
    }

    @Test
    void aNewWindowCountsFromZero() {
        Budgets budgets = budgets("100 tokens per day", null);
        budgets.keyAnswered(first.id(), 99);
        clock.advance(Duration.ofHours(2)); // midnight UTC

        budgets.keyAnswered(first.id(), 99);

        assertThat(first.state(clock.instant())).isEqualTo(KeyState.VALID);
        assertThat(budgets.key(first.fingerprint()).orElseThrow().spent()).isEqualTo(99);
    }

    @Test
    void aMonthBudgetCoolsUntilTheFirstOfTheNextMonth() {
        Budgets budgets = budgets("2 requests per month", null);
        budgets.keyAnswered(first.id(), 1000);
        budgets.keyAnswered(first.id(), 1000);

        assertThat(budgets.key(first.fingerprint()).orElseThrow().reset()).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
        clock.advance(Duration.ofDays(29)); // 2026-03-30
        assertThat(next("gpt-4o")).isSameAs(second);
        assertThat(pool.soonestCooldownEnd("gpt-4o")).contains(Duration.ofHours(26)); // 2026-03-30T22:00Z to April
        clock.advance(Duration.ofDays(2).minusHours(22)); // 2026-04-01T00:00Z
        assertThat(next("gpt-4o")).isSameAs(first);
    }

    @Test
    void aClientWhoseBudgetIsSpentIsRefusedUntilItsWindowResets() {
        Budgets budgets = budgets(null, "2 requests per day");
        answered(budgets, first.id(), Optional.of("alice"), 10);
        assertThat(budgets.clientSpentUntil("alice")).isEmpty();

        answered(budgets, second.id(), Optional.of("alice"), 10);

        assertThat(budgets.clientSpentUntil("alice")).contains(MIDNIGHT);
        assertThat(budgets.clientSpentUntil("bob")).isEmpty();
        assertThat(first.state(clock.instant())).isEqualTo(KeyState.VALID);
        clock.advance(Duration.ofHours(2));
        assertThat(budgets.clientSpentUntil("alice")).isEmpty();
    }

    @Test
    void theAnswerThatSpendsAClientsBudgetIsLoggedOnceWithItsNameNeverAKey() {
        Budgets budgets = budgets(null, "15 tokens per day");
        CapturedLogs.clear();

        answered(budgets, first.id(), Optional.of("alice"), 10);
        answered(budgets, first.id(), Optional.of("alice"), 10);
        answered(budgets, first.id(), Optional.of("alice"), 10);

        assertThat(CapturedLogs.events()).filteredOn(event -> event.logger().equals(Budgets.class.getName()))
                .extracting(CapturedLogs.Event::message)
                .containsExactly("openai: client 'alice' spent its budget of 15 tokens per day; refused until " + MIDNIGHT);
        assertThat(CapturedLogs.allText()).doesNotContain("sk-first-0000000000001");
    }

    @Test
    void anAnswerServedForAnotherRoutesClientCountsOnlyAgainstTheKey() {
        // §16: this route served as a fallback (its key's budget), or was called while a fallback served (the client's).
        Budgets budgets = budgets("100 tokens per day", "100 tokens per day");

        budgets.keyAnswered(first.id(), 30);
        budgets.clientAnswered(Optional.of("alice"), 20);

        assertThat(budgets.key(first.fingerprint()).orElseThrow().spent()).isEqualTo(30);
        assertThat(budgets.key(second.fingerprint()).orElseThrow().spent()).isZero();
        assertThat(budgets.client("alice").orElseThrow().spent()).isEqualTo(20);
    }

    @Test
    void theClientsShownWithTheirBudgetAreThoseWithACountInTheCurrentWindow() {
        // §16: alice's and carol's answers were a fallback route's (only their client budget counts here).
        ClientAccess access = ClientAccess.of("openai", new AccessSettings(Stream.of("alice", "bob", "carol")
                .map(name -> new ClientToken(name, ClientToken.sha256("tok-" + name), Set.of())).toList(),
                AccessSettings.Byok.DENY, Optional.empty(), 20, List.of()), clock);
        UsageSettings usage = new UsageSettings(UsageSettings.StreamUsage.OFF, 100, Optional.empty(),
                Optional.of(Budget.parse("100 tokens per day")));
        Budgets budgets = Budgets.of("openai", usage, pool, LocalKeyStateStore.INSTANCE.budgetCounts(), clock, events,
                access);

        budgets.clientAnswered(Optional.of("carol"), 5);
        budgets.clientAnswered(Optional.of("alice"), 20);

        assertThat(budgets.clientsSpending()).containsExactly("alice", "carol");
        clock.advance(Duration.ofHours(2)); // midnight UTC: nothing counted in the new window yet
        assertThat(budgets.clientsSpending()).isEmpty();
        assertThat(budgets(null, null).clientsSpending()).isEmpty();
    }

    @Test
    void withoutABudgetNothingIsCounted() {
        Budgets budgets = budgets(null, null);
        answered(budgets, first.id(), Optional.of("alice"), 1_000_000);

        assertThat(budgets).isSameAs(Budgets.NONE);
        assertThat(budgets.key(first.fingerprint())).isEmpty();
        assertThat(budgets.clientSpentUntil("alice")).isEmpty();
    }

    /** An answer a key of this route served to a client that called it: counted for both, as the ledger does. */
    private static void answered(Budgets budgets, KeyId key, Optional<String> client, long tokens) {
        budgets.clientAnswered(client, tokens);
        budgets.keyAnswered(key, tokens);
    }
}
