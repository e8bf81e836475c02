package dev.keyfailover.servlet;

import java.io.PrintWriter;
import java.util.Map;

import dev.keyfailover.chain.Jsons;
import dev.keyfailover.metrics.UsageLedger;
import dev.keyfailover.metrics.UsageSnapshot;
import dev.keyfailover.pool.KeySnapshot;
import jakarta.json.JsonObjectBuilder;

/**
 * The usage of a route's keys and clients on the status page and in its JSON (behaviour.md §16):
 * tokens and requests of today (UTC) and in all. Client names are configured names, never tokens.
 */
final class UsageStatus {

    /** The header cells of a key's usage. */
    static final String HEADERS = "<th>tokens today (requests)</th><th>tokens in all (requests)</th>";

    private UsageStatus() {
    }

    static JsonObjectBuilder json(UsageSnapshot usage) {
        return Jsons.objectBuilder().add("tokensToday", usage.tokensToday()).add("requestsToday", usage.requestsToday())
                .add("tokens", usage.tokens()).add("requests", usage.requests());
    }

    /** By client name, those that sent a request with a client token. */
    static JsonObjectBuilder clients(UsageLedger ledger) {
        JsonObjectBuilder clients = Jsons.objectBuilder();
        ledger.clients().forEach((name, usage) -> clients.add(name, json(usage)));
        return clients;
    }

    /** The cells of a key's usage. */
    static String cells(UsageLedger ledger, KeySnapshot key) {
        UsageSnapshot usage = ledger.key(key.index(), key.hint());
        return "<td class=\"usage-today\">" + usage.tokensToday() + " (" + usage.requestsToday() + ")</td>"
                + "<td class=\"usage-all\">" + usage.tokens() + " (" + usage.requests() + ")</td>";
    }

    /** A table of the clients' usage, when any client sent a request with a token. */
    static void clientsTable(UsageLedger ledger, PrintWriter out) {
        Map<String, UsageSnapshot> clients = ledger.clients();
        if (clients.isEmpty()) {
            return;
        }
        out.println("<table class=\"clients\"><thead><tr><th>client</th>" + HEADERS + "</tr></thead><tbody>");
        clients.forEach((name, usage) -> out.println("<tr><td>" + escape(name) + "</td><td>" + usage.tokensToday()
                + " (" + usage.requestsToday() + ")</td><td>" + usage.tokens() + " (" + usage.requests()
                + ")</td></tr>"));
        out.println("</tbody></table>");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
