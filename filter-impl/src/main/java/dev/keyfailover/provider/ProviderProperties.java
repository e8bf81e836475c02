package dev.keyfailover.provider;

import java.util.List;
import java.util.Locale;

import dev.keyfailover.api.FailoverRules;
import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.api.ProviderSettings;
import dev.keyfailover.config.HeaderNames;

/** Reads the properties every built-in provider understands: {@code on403}, {@code failoverOn}, {@code byokHeaders}. */
final class ProviderProperties {

    private ProviderProperties() {
    }

    /**
     * The failover rules: {@code on403} = {@code skip|disable|pass}; {@code failoverOn} = a comma
     * list of {@code status[:cooldown|skip]} (cooldown when the rule is left out), e.g. {@code 402,529:cooldown}.
     */
    static FailoverRules rules(ProviderSettings settings) {
        FailoverRules.Builder rules = FailoverRules.builder();
        settings.property("on403").ifPresent(value -> rules.on403(on403(value)));
        settings.property("failoverOn").ifPresent(value -> {
            for (String entry : value.split(",")) {
                if (!entry.isBlank()) {
                    addFailoverStatus(rules, entry.trim());
                }
            }
        });
        return rules.build();
    }

    /** The headers that make a request BYOK: {@code byokHeaders} when set, else the provider's own. */
    static List<String> byokHeaders(ProviderSettings settings, List<String> defaults) {
        return settings.property("byokHeaders").map(value -> headerList("byokHeaders", value)).orElse(defaults);
    }

    static List<String> headerList(String property, String value) {
        try {
            return HeaderNames.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ": " + e.getMessage());
        }
    }

    private static FailoverRules.On403 on403(String value) {
        try {
            return FailoverRules.On403.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("on403 must be 'skip', 'disable' or 'pass', not '" + value + "'");
        }
    }

    private static void addFailoverStatus(FailoverRules.Builder rules, String entry) {
        String[] parts = entry.split(":", 2);
        int status;
        try {
            status = Integer.parseInt(parts[0].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("failoverOn: '" + entry + "' is not status[:cooldown|skip]");
        }
        String rule = parts.length == 1 ? "cooldown" : parts[1].trim().toLowerCase(Locale.ROOT);
        KeyVerdict.Action action;
        if (rule.equals("cooldown")) {
            action = KeyVerdict.Action.COOL_DOWN;
        } else if (rule.equals("skip")) {
            action = KeyVerdict.Action.SKIP;
        } else {
            throw new IllegalArgumentException("failoverOn: rule '" + rule + "' must be 'cooldown' or 'skip'");
        }
        try {
            rules.failoverOn(status, action);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("failoverOn: " + e.getMessage());
        }
    }
}
