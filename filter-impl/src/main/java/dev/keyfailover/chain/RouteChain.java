package dev.keyfailover.chain;

import java.util.Objects;
import java.util.function.DoubleSupplier;

import dev.keyfailover.settings.BodyLimits;
import dev.keyfailover.settings.ClientSettings;
import dev.keyfailover.settings.RetrySettings;
import dev.keyfailover.settings.UsageSettings;

/**
 * What a route's chain is made of besides its provider, pool, dump and header policy: one value,
 * so that {@link ProviderClient#create} keeps a short signature as the chain grows.
 *
 * @param bodyLimits how much of a client's body is buffered, and where (behaviour.md §4)
 * @param client the upstream connections and the timeouts of an answer (§8, §18)
 * @param retries how transient failures of pool requests are retried (§18)
 * @param jitter the retries' jitter, uniform in [0, 1)
 * @param fallback the route's fallback routes (§18)
 * @param access the route's client tokens and BYOK rule (§13)
 * @param usage how the usage of answers is asked for (§16)
 * @param budgets the route's key and client budgets (§16): a client whose budget is spent is refused
 * @param tracing where the spans of requests and attempts go, and whether attempts propagate them (§17)
 * @param lines the route's throttled log lines (§8), which the route sweeps and flushes when it stops
 */
public record RouteChain(BodyLimits bodyLimits, ClientSettings client, RetrySettings retries, DoubleSupplier jitter,
                         FallbackPlan fallback, ClientAccess access, UsageSettings usage, Budgets budgets,
                         Tracing tracing, ThrottledLines lines) {

    /** A chain whose throttled lines nobody sweeps: a count no later line takes stays unsaid (tests, benchmarks). */
    public RouteChain(BodyLimits bodyLimits, ClientSettings client, RetrySettings retries, DoubleSupplier jitter,
                      FallbackPlan fallback, ClientAccess access, UsageSettings usage, Budgets budgets,
                      Tracing tracing) {
        this(bodyLimits, client, retries, jitter, fallback, access, usage, budgets, tracing, new ThrottledLines());
    }

    /** A chain without budgets, traced through the global OpenTelemetry, without propagation. */
    public RouteChain(BodyLimits bodyLimits, ClientSettings client, RetrySettings retries, DoubleSupplier jitter,
                      FallbackPlan fallback, ClientAccess access, UsageSettings usage) {
        this(bodyLimits, client, retries, jitter, fallback, access, usage, Budgets.NONE, Tracing.global(""));
    }

    /** A chain with the default usage settings. */
    public RouteChain(BodyLimits bodyLimits, ClientSettings client, RetrySettings retries, DoubleSupplier jitter,
                      FallbackPlan fallback, ClientAccess access) {
        this(bodyLimits, client, retries, jitter, fallback, access, UsageSettings.defaults());
    }

    public RouteChain {
        Objects.requireNonNull(bodyLimits, "bodyLimits");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(retries, "retries");
        Objects.requireNonNull(jitter, "jitter");
        Objects.requireNonNull(fallback, "fallback");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(budgets, "budgets");
        Objects.requireNonNull(tracing, "tracing");
        Objects.requireNonNull(lines, "lines");
    }
}
