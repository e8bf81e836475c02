package dev.keyfailover.servlet;

import dev.keyfailover.api.RateLimits;
import dev.keyfailover.pool.KeySnapshot;

/** How the status page writes a key's facts as HTML text: every client-chosen name escaped. */
final class StatusText {

    private StatusText() {
    }

    static String remaining(KeySnapshot key) {
        long seconds = (key.cooldownRemaining().toMillis() + 999) / 1000;
        if (seconds > 0) {
            return seconds + " s";
        }
        return !key.recheckEnabled() ? "never re-checked" : "-";
    }

    static String modelsText(KeySnapshot key) {
        if (key.models().isEmpty()) {
            return "-";
        }
        StringBuilder text = new StringBuilder();
        for (KeySnapshot.ModelSnapshot model : key.models()) {
            text.append(text.length() == 0 ? "" : "<br>").append(escape(model.model())).append(": ");
            long seconds = (model.cooldownRemaining().toMillis() + 999) / 1000;
            text.append(seconds > 0 ? "cooling " + seconds + " s" : "usable");
            for (RateLimits.Window window : model.limits().windows()) {
                text.append("; ").append(escape(window.name())).append(' ')
                        .append(window.remaining() < 0 ? "?" : Long.toString(window.remaining())).append('/')
                        .append(window.limit() < 0 ? "?" : Long.toString(window.limit()));
                if (window.reset() != null) {
                    text.append(" (reset ").append(window.reset()).append(')');
                }
            }
        }
        return text.toString();
    }

    static String lastStatus(int status) {
        return status == 0 ? "-" : status < 0 ? "transport error" : Integer.toString(status);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
