package dev.keyfailover.servlet;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import dev.keyfailover.testing.AppServer;
import dev.keyfailover.testing.FakeUpstream;

/**
 * The routes of the request-budget tests (behaviour.md §18, The request's budget): {@code openai}
 * at /openai/* with two keys on {@code upstream} and retries that wait 1 ms, and {@code backup}, its
 * possible fallback, at /backup/* with one key on {@code backup}.
 */
final class BudgetRoutes {

    static final String K1 = "sk-first-00000000001";
    static final String K2 = "sk-second-0000000002";
    static final String BACKUP_KEY = "sk-backup-0000000003";
    static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private BudgetRoutes() {
    }

    /** Starts both routes; {@code more} are name-value pairs of {@code openai}'s params over its defaults. */
    static AppServer start(FakeUpstream upstream, FakeUpstream backup, String... more) throws Exception {
        return start(upstream, backup, Clock.systemUTC(), more);
    }

    /** As {@link #start(FakeUpstream, FakeUpstream, String...)}, the routes keeping time by {@code clock}. */
    static AppServer start(FakeUpstream upstream, FakeUpstream backup, Clock clock, String... more) throws Exception {
        Map<String, String> params = new HashMap<>(Map.of("provider", "openai",
                "baseUrl", upstream.baseUri().toString(), "keys", K1 + "," + K2, "retryBackoff", "1ms"));
        for (int i = 0; i < more.length; i += 2) {
            params.put(more[i], more[i + 1]);
        }
        return AppServer.builder().attribute(RouteLifecycle.CLOCK_ATTRIBUTE, clock).route("openai", params)
                .route("backup", Map.of("provider", "openai", "baseUrl", backup.baseUri().toString(),
                        "keys", BACKUP_KEY)).start();
    }
}
