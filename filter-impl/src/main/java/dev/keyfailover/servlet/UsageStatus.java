package dev.keyfailover.servlet;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.keyfailover.chain.Budgets;
import dev.keyfailover.chain.Jsons;
import dev.keyfailover.metrics.UsageLedger;
import dev.keyfailover.metrics.UsageSnapshot;
import dev.keyfailover.pool.KeySnapshot;
import dev.keyfailover.pool.KeyState;
import jakarta.json.JsonObjectBuilder;

/**
 * The usage of a route's keys and clients on the status page and in its JSON (behaviour.md §16):
 * tokens and requests of today (UTC) and in all, and, where a budget applies, what was spent of it in
 * the current window and when it resets. Client names are configured names, never tokens.
 */
final class UsageStatus {

    /** The header cells of a key's usage. */
    static final String HEADERS = "<th>tokens today (requests)</th><th>tokens in all (requests)</th><th>budget</th>";

    private UsageStatus() {
    }

    static JsonObjectBuilder json(UsageSnapshot usage, Optional<Budgets.Spending> budget) {
        JsonObjectBuilder json = Jsons.objectBuilder().add("tokensToday", usage.tokensToday())
                .add("requestsToday", usage.requestsToday()).add("tokens", usage.tokens()).add("requests", usage.requests());
        budget.ifPresent(spending -> json.add("budget", Jsons.objectBuilder().add("budget", spending.budget().toString())
                .add("amount", spending.budget().amount()).add("spent", spending.spent())
                .add("isSpent", spending.isSpent()).add("resets", spending.reset().toString())));
        return json;
    }

    /** A key's usage, with its budget when the route sets {@code keyBudget}. */
    static JsonObjectBuilder json(UsageLedger ledger, KeySnapshot key) {
        return json(ledger.key(key.id()), ledger.budgets().key(key.fingerprint()));
    }

    /**
     * {@code "reason": "budget"} in a key's entry when it cools because its budget is spent (the
     * other reasons are told by the log and the meters, as the answers came).
     */
    static JsonObjectBuilder withReason(JsonObjectBuilder entry, ProxyRoute route, KeySnapshot key) {
        // Cheap checks first: finding the key is a walk of the pool, once per key of the page.
        if (key.state() == KeyState.COOLING && route.pool() != null
                && route.usage().budgets().key(key.fingerprint()).filter(Budgets.Spending::isSpent).isPresent()
                && route.pool().find(key.fingerprint()).filter(route.usage().budgets()::keyCoolsForBudget).isPresent()) {
            entry.add("reason", "budget");
        }
        return entry;
    }

    /**
     * By client name, those that sent a request with a client token, and those that spent of this
     * route's {@code clientBudget} through its fallback routes alone (no usage here: the serving
     * route's).
     */
    static JsonObjectBuilder clients(UsageLedger ledger) {
        JsonObjectBuilder clients = Jsons.objectBuilder();
        rows(ledger).forEach((name, usage) -> clients.add(name, json(usage, ledger.budgets().client(name))));
        return clients;
    }

    /** The clients of the route's status: its usage's, and the names with a count in its client budget (§16). */
    private static Map<String, UsageSnapshot> rows(UsageLedger ledger) {
        Map<String, UsageSnapshot> rows = new TreeMap<>(ledger.clients());
        for (String name : ledger.budgets().clientsSpending()) {
            rows.putIfAbsent(name, UsageSnapshot.NONE);
        }
        return rows;
    }

    /** The cells of a key's usage. */
    static String cells(UsageLedger ledger, KeySnapshot key) {
        UsageSnapshot usage = ledger.key(key.id());
        return "<td class=\"usage-today\">" + usage.tokensToday() + " (" + usage.requestsToday() + ")</td>"
                + "<td class=\"usage-all\">" + usage.tokens() + " (" + usage.requests() + ")</td>"
                + budgetCell(ledger.budgets().key(key.fingerprint()));
    }

    /** A table of the clients' usage and budgets, when any client used the route or spent of its budget. */
    static void clientsTable(UsageLedger ledger, PrintWriter out) {
        Map<String, UsageSnapshot> clients = rows(ledger);
        if (clients.isEmpty()) {
            return;
        }
        out.println("<table class=\"clients\"><thead><tr><th>client</th>" + HEADERS + "</tr></thead><tbody>");
        clients.forEach((name, usage) -> out.println("<tr><td>" + escape(name) + "</td><td>" + usage.tokensToday()
                + " (" + usage.requestsToday() + ")</td><td>" + usage.tokens() + " (" + usage.requests()
                + ")</td>" + budgetCell(ledger.budgets().client(name)) + "</tr>"));
        out.println("</tbody></table>");
    }

    private static String budgetCell(Optional<Budgets.Spending> budget) {
        return "<td class=\"budget\">" + budget.map(spending -> spending.spent() + " of " + spending.budget()
                + (spending.isSpent() ? " (spent)" : "") + ", resets " + spending.reset()).orElse("none") + "</td>";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
