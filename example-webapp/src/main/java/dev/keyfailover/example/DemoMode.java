package dev.keyfailover.example;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns on the built-in demo upstream for a provider whose base URL is not configured: its base
 * URL and demo keys are offered to web.xml as system properties, read there as defaults. Runs
 * before the proxy servlets start (listeners always do).
 */
public class DemoMode implements ServletContextListener {

    private static final Logger LOG = LoggerFactory.getLogger(DemoMode.class);

    static final String[] OPENAI_KEYS = {"sk-demo-ratelimited-00000001", "sk-demo-revoked-000000000002",
            "sk-demo-good-000000000000003"};
    static final String[] ANTHROPIC_KEYS = {"sk-ant-demo-ratelimited-0001", "sk-ant-demo-revoked-00000002",
            "sk-ant-demo-good-00000000003"};

    @Override
    public void contextInitialized(ServletContextEvent event) {
        offer("openai", "OPENAI_BASE_URL", OPENAI_KEYS);
        offer("anthropic", "ANTHROPIC_BASE_URL", ANTHROPIC_KEYS);
    }

    private static void offer(String provider, String baseUrlVariable, String[] demoKeys) {
        String prefix = "keyfailover.example." + provider + ".";
        String configured = System.getenv(baseUrlVariable);
        if (configured != null && !configured.isBlank()) {
            System.clearProperty(prefix + "baseUrl");
            System.clearProperty(prefix + "keys");
            return;
        }
        System.setProperty(prefix + "baseUrl", "/demo-upstream/" + provider);
        System.setProperty(prefix + "keys", String.join(",", demoKeys));
        LOG.info("{} is not set: {} goes to the built-in demo upstream, with a rate-limited, a revoked and a good "
                + "demo key", baseUrlVariable, provider);
    }
}
