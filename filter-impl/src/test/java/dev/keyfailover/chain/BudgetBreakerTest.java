package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.provider.OpenAiProviderFactory;
import dev.keyfailover.settings.FallbackSettings;
import dev.keyfailover.settings.PoolSettings;
import dev.keyfailover.settings.RetrySettings;
import dev.keyfailover.testing.FakeUpstream;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * behaviour.md §18, the breaker and the request's budget, over real sockets: a budget that ran out
 * waiting for a key of the route's pool says nothing of its provider, so the breaker neither counts
 * it as a failure nor closes on it; nor does a pool that ran dry before asking the provider. The pool waits by advancing the fake clock
 * ({@link ChainFixture#waits()}); a wait that takes longer than asked is the clock moving further.
 */
class BudgetBreakerTest {

    private static final String KEY = "sk-test-breaker-key-000000000001";

    @RegisterExtension
    final ChainFixture chain = new ChainFixture(KEY);
    private final FakeUpstream upstream = chain.upstream();
    private final FakeUpstream backup = FakeUpstream.start();
    private final CloseableHttpClient backupClient = HttpClients.createDefault();

    @AfterEach
    void stop() throws Exception {
        backupClient.close();
        backup.close();
    }

    /** The fixture's route, with {@code backup} as its fallback and a breaker that opens after 2 failures. */
    private void start() {
        start(RetrySettings.defaults().withRetries(0));
    }

    /** As {@link #start()}, with these retries (and a budget of 5 s). */
    private void start(RetrySettings retries) {
        FallbackSettings settings = new FallbackSettings("openai", List.of("backup"), Set.of(), Set.of(), Map.of(),
                2, Duration.ofSeconds(10));
        FallbackTarget target = new FallbackTarget("backup", backup.baseUri().toString(),
                new OpenAiProviderFactory().create(new ProviderSettings("backup", backup.baseUri(), Map.of())),
                FallbackSettings.none("openai"), backupClient);
        chain.fallback(new FallbackPlan(settings, name -> Optional.of(target), FallbackPlan.DEFAULT_TRANSIENT_STATUSES))
                .poolSettings(PoolSettings.defaults().withMaxWaitForKey(Duration.ofSeconds(10)))
                .retrySettings(retries.withRequestBudget(Duration.ofSeconds(5)))
                .client(chain.openAi());
    }

    @Test
    void budgetSpentWaitingForAKeyNeitherOpensNorClosesTheBreaker() throws Exception {
        backup.otherwise(FakeUpstream.ok("{\"served_by\":\"backup\"}"));
        start();

        upstream.on(KEY, FakeUpstream.status(503));
        assertThat(chain.answer(chain.chat("gpt-test")).body()).as("the first failure in a row").contains("backup");

        upstream.on(KEY, FakeUpstream.rateLimited("1"));
        // The 1 s wait for the cooling key takes 5 s more than asked: the budget runs out waiting for the key.
        chain.onWait(() -> chain.clock().advance(Duration.ofSeconds(5)));
        ChainFixture.Answer spent = chain.answer(chain.chat("gpt-test"));
        chain.onWait(() -> { });
        assertThat(spent.status()).isEqualTo(504);
        assertThat(spent.body()).contains("requestBudget");
        assertThat(chain.waits()).containsExactly(Duration.ofSeconds(1));
        assertThat(backup.requests()).as("the budget's 504 goes to no fallback").hasSize(1);

        upstream.on(KEY, FakeUpstream.status(503));
        assertThat(chain.answer(chain.chat("gpt-test")).body()).contains("backup");
        assertThat(upstream.requests()).as("not open after the key's wait: the route was asked").hasSize(3);

        assertThat(chain.answer(chain.chat("gpt-test")).body()).contains("backup");
        assertThat(upstream.requests()).as("the second failure in a row opened it: the key's wait did not break the row")
                .hasSize(3);
    }

    @Test
    void aPoolDryBeforeAnyAttemptNeitherOpensNorClosesTheBreaker() throws Exception {
        backup.otherwise(FakeUpstream.ok("{\"served_by\":\"backup\"}"));
        start();
        upstream.on(KEY, FakeUpstream.status(503));
        assertThat(chain.answer(chain.chat("gpt-test")).body()).as("the first failure in a row").contains("backup");

        chain.pool().adminDisable(chain.pool().keys().get(0), true);
        assertThat(chain.answer(chain.chat("gpt-test")).body()).as("no key to ask: the fallback serves")
                .contains("backup");
        assertThat(upstream.requests()).as("the provider was not asked").hasSize(1);
        chain.pool().adminDisable(chain.pool().keys().get(0), false);

        assertThat(chain.answer(chain.chat("gpt-test")).body()).contains("backup");
        assertThat(upstream.requests()).hasSize(2);
        assertThat(chain.answer(chain.chat("gpt-test")).body()).contains("backup");
        assertThat(upstream.requests()).as("the second failure in a row opened it: the dry pool did not break the row")
                .hasSize(2);
    }

    @Test
    void aProbeWhoseBudgetRanOutWaitingForAKeyLeavesTheProbeToTheNextRequest() throws Exception {
        backup.otherwise(FakeUpstream.ok("{\"served_by\":\"backup\"}"));
        start();
        upstream.on(KEY, FakeUpstream.status(503));
        chain.answer(chain.chat("gpt-test"));
        chain.answer(chain.chat("gpt-test"));
        assertThat(chain.answer(chain.chat("gpt-test")).body()).as("open").contains("backup");
        assertThat(upstream.requests()).hasSize(2);
        chain.clock().advance(Duration.ofSeconds(10));

        upstream.on(KEY, FakeUpstream.rateLimited("1"));
        chain.onWait(() -> chain.clock().advance(Duration.ofSeconds(5)));
        assertThat(chain.answer(chain.chat("gpt-test")).status()).as("the probe's budget ran out waiting for the key")
                .isEqualTo(504);
        chain.onWait(() -> { });
        assertThat(upstream.requests()).hasSize(3);

        upstream.on(KEY, FakeUpstream.status(503));
        assertThat(chain.answer(chain.chat("gpt-test")).body()).as("the next request probes: not reopened")
                .contains("backup");
        assertThat(upstream.requests()).hasSize(4);
        assertThat(chain.answer(chain.chat("gpt-test")).body()).contains("backup");
        assertThat(upstream.requests()).as("that probe failed: open again, as it was not closed by the key's wait")
                .hasSize(4);
    }

    @Test
    void aBudgetThatRanOutInTheWaitForARetryIsAFailureOfTheRoute() throws Exception {
        backup.otherwise(FakeUpstream.ok("{\"served_by\":\"backup\"}"));
        start(RetrySettings.defaults().withRetries(1));
        upstream.on(KEY, FakeUpstream.status(503));
        // The retry's wait (500 ms) takes 5 s more than asked: the budget runs out after a transient failure.
        chain.onWait(() -> chain.clock().advance(Duration.ofSeconds(5)));

        assertThat(chain.answer(chain.chat("gpt-test")).status()).isEqualTo(504);
        assertThat(chain.answer(chain.chat("gpt-test")).status()).isEqualTo(504);
        assertThat(upstream.requests()).as("one attempt each, the retry never made").hasSize(2);

        assertThat(chain.answer(chain.chat("gpt-test")).body()).as("two failures in a row opened it").contains("backup");
        assertThat(upstream.requests()).hasSize(2);
    }
}
