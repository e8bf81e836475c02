package dev.keyfailover.chain;

import java.util.Objects;
import java.util.Set;

import dev.keyfailover.settings.FallbackSettings;

/**
 * What a route needs to fall back (behaviour.md §18): its settings, the routes it may find, and the
 * statuses that count as a transient failure of its provider.
 */
public record FallbackPlan(FallbackSettings settings, FallbackTargets targets, Set<Integer> transientStatuses) {

    /** The statuses that count as transient unless a route says otherwise. */
    public static final Set<Integer> DEFAULT_TRANSIENT_STATUSES = Set.of(500, 502, 503, 504, 529);

    public FallbackPlan {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(targets, "targets");
        transientStatuses = Set.copyOf(transientStatuses);
    }

    /** Whether the route names any fallback route. */
    boolean active() {
        return !settings.routes().isEmpty();
    }
}
