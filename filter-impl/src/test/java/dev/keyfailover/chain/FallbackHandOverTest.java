package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keyfailover.pool.KeyId;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.junit.jupiter.api.Test;

/** A request passed on to a fallback route: what its exchange there starts with, and what it gives back. */
class FallbackHandOverTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void theFallbacksExchangeEndsWithTheRequestsBudgetAndFallsBackNoFurther() {
        Exchange request = Exchange.start(HttpClientContext.create(), false);
        AtomicInteger originsBuilt = new AtomicInteger();
        request.forwarded(() -> "http://proxy:8080/app#" + originsBuilt.incrementAndGet(), "/v1/chat/completions?x=1");
        request.startBudget(NOW, Duration.ofSeconds(2));
        HttpClientContext context = HttpClientContext.create();

        Exchange fallback = FallbackHandOver.start(request, context);

        assertThat(Exchange.of(context)).isSameAs(fallback);
        assertThat(fallback.servingAsFallback()).isTrue();
        assertThat(request.servingAsFallback()).isFalse();
        assertThat(fallback.deadline()).contains(NOW.plusSeconds(2));
        assertThat(fallback.pathAndQuery()).isEqualTo("/v1/chat/completions?x=1");
        assertThat(originsBuilt).as("this server's origin is built only when a base URL asks").hasValue(0);
        assertThat(fallback.serverOrigin()).isEqualTo("http://proxy:8080/app#1");
    }

    @Test
    void aRequestWithoutBudgetGivesItsFallbackNone() {
        Exchange request = Exchange.start(HttpClientContext.create(), false);

        assertThat(FallbackHandOver.start(request, HttpClientContext.create()).deadline()).isEmpty();
    }

    @Test
    void theFallbacksAttemptsCountAsTheRequestsAndItsAnswerBecomesTheRequests() {
        Exchange request = Exchange.start(HttpClientContext.create(), false);
        request.route("openai");
        request.nextAttempt();
        request.nextAttempt();
        Exchange fallback = FallbackHandOver.start(request, HttpClientContext.create());
        fallback.route("backup");
        fallback.nextAttempt();
        fallback.servedBy(new KeyId(3, "sk-b…0003", "0123456789abcdef"));
        fallback.retriesSpent(true);

        FallbackHandOver.countAttempts(request, fallback);
        FallbackHandOver.served(request, fallback, "gpt-4o-mini");

        assertThat(request.attempts()).isEqualTo(3);
        assertThat(request.route()).isEqualTo("backup");
        assertThat(request.servedKey()).isEqualTo(new KeyId(3, "sk-b…0003", "0123456789abcdef"));
        assertThat(request.origin()).isEqualTo(Exchange.Origin.UPSTREAM);
        assertThat(request.retriesSpent()).isTrue();
        assertThat(request.renamedModel()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void aFallbackThatRanDryGivesTheRequestItsOwnOrigin() {
        Exchange request = Exchange.start(HttpClientContext.create(), false);
        Exchange fallback = FallbackHandOver.start(request, HttpClientContext.create());
        fallback.origin(Exchange.Origin.EXHAUSTION);

        FallbackHandOver.served(request, fallback, null);

        assertThat(request.origin()).isEqualTo(Exchange.Origin.EXHAUSTION);
        assertThat(request.servedKey()).isNull();
        assertThat(request.renamedModel()).isNull();
    }
}
