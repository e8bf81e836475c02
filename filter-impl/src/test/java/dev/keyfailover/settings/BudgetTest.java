package dev.keyfailover.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

/** behaviour.md §16: a budget's UTC windows and what an answer spends of it. */
class BudgetTest {

    @Test
    void aDayWindowRunsFromMidnightUtcToTheNext() {
        Budget budget = Budget.parse("2000000 tokens per day");
        Instant lastSecond = Instant.parse("2026-03-01T23:59:59Z");

        assertThat(budget.windowStart(lastSecond)).isEqualTo(LocalDate.parse("2026-03-01"));
        assertThat(budget.reset(lastSecond)).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
        assertThat(budget.windowStart(Instant.parse("2026-03-02T00:00:00Z"))).isEqualTo(LocalDate.parse("2026-03-02"));
    }

    @Test
    void aMonthWindowRunsFromTheFirstOfTheMonthUtc() {
        Budget budget = Budget.parse("500 requests per month");

        assertThat(budget.windowStart(Instant.parse("2026-02-28T12:00:00Z"))).isEqualTo(LocalDate.parse("2026-02-01"));
        assertThat(budget.reset(Instant.parse("2026-02-28T12:00:00Z"))).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(budget.reset(Instant.parse("2026-12-31T23:00:00Z"))).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void tokensCountAnAnswersTokensAndRequestsCountOne() {
        assertThat(Budget.parse("10 tokens per day").cost(29)).isEqualTo(29);
        assertThat(Budget.parse("10 requests per day").cost(29)).isEqualTo(1);
        assertThat(Budget.parse("10 requests per day").cost(0)).isEqualTo(1);
    }

    @Test
    void isWrittenBackAsConfigured() {
        assertThat(Budget.parse(" 2000000  Tokens per DAY ")).hasToString("2000000 tokens per day");
    }
}
