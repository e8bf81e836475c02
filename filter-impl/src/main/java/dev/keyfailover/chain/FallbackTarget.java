package dev.keyfailover.chain;

import dev.keyfailover.api.Provider;
import dev.keyfailover.settings.FallbackSettings;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/**
 * A route another route may turn to (behaviour.md §18), as the servlet package hands it to the
 * chain: its client, where it sends requests, and how it renames the model.
 *
 * @param name the route's name
 * @param baseUrl its base URL (absolute, or a path on this same server and context)
 * @param provider its provider (the model's place in the path, for renaming)
 * @param settings its fallback settings (its model map)
 * @param client its HTTP client, with its own chain: pool, retries, dump
 */
public record FallbackTarget(String name, String baseUrl, Provider provider, FallbackSettings settings,
                             CloseableHttpClient client) {
}
