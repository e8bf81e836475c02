package dev.keyfailover.chain;

import java.util.Optional;

import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Who sent one client request (behaviour.md §13), kept in its {@link HttpContext} next to the
 * {@link Exchange}: the client's address as the servlet found it, and, once
 * {@link ClientCredentialsExec} decided, the name of the client token it carried or whether it was
 * refused for its credential.
 */
public final class Caller {

    private static final String ATTRIBUTE = Caller.class.getName();
    private static final String UNKNOWN = "unknown";

    private final String address;
    private String client;
    private boolean refused;
    private boolean overBudget;

    private Caller(String address) {
        this.address = address;
    }

    /** A caller from this address, for a request not yet in a context ({@link #attach}). */
    public static Caller from(String address) {
        return new Caller(address == null || address.isBlank() ? UNKNOWN : address);
    }

    /** Puts this caller in a fresh context. */
    public void attach(HttpContext context) {
        context.setAttribute(ATTRIBUTE, this);
    }

    /** The caller of a context; an unknown address when the servlet put none. */
    static Caller of(HttpContext context) {
        Object caller = context.getAttribute(ATTRIBUTE);
        if (caller instanceof Caller) {
            return (Caller) caller;
        }
        Caller unknown = from(null);
        unknown.attach(context);
        return unknown;
    }

    /** The client's address: the connection's, or the first untrusted one of {@code X-Forwarded-For}. */
    public String address() {
        return address;
    }

    /** The name of the client token the request carried; empty before the check or without one. */
    public Optional<String> client() {
        return Optional.ofNullable(client);
    }

    void client(String name) {
        this.client = name;
    }

    /** Whether the proxy refused the request for its credential (401, or 429 after too many failures). */
    public boolean refused() {
        return refused;
    }

    void refuse() {
        this.refused = true;
    }

    /** Whether the proxy refused the request because its client's budget is spent (behaviour.md §16). */
    public boolean overBudget() {
        return overBudget;
    }

    void refuseOverBudget() {
        this.overBudget = true;
    }
}
