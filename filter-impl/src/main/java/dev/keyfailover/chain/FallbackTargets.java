package dev.keyfailover.chain;

import java.util.Optional;

/** Finds the routes of the application by name, when a request falls back to one (they may start after the route that names them). */
@FunctionalInterface
public interface FallbackTargets {

    /** The route of that name, if it runs now. */
    Optional<FallbackTarget> find(String name);
}
