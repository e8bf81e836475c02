package dev.keyfailover.chain;

import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * What one request's usage needs to know besides its {@link Exchange} (behaviour.md §16), kept in
 * its {@link HttpContext} next to it: the model the request is for, as the failover read it, and
 * whether the proxy asked an OpenAI stream for a usage chunk the client did not ask for (then
 * that chunk is not the client's). Set by {@link UsageExec}, read as the answer is copied.
 */
public final class RequestUsage {

    private static final String ATTRIBUTE = RequestUsage.class.getName();

    private String model;
    private boolean injected;

    private RequestUsage() {
    }

    /** The request's usage facts, made on first use. */
    public static RequestUsage of(HttpContext context) {
        Object usage = context.getAttribute(ATTRIBUTE);
        if (usage instanceof RequestUsage) {
            return (RequestUsage) usage;
        }
        RequestUsage fresh = new RequestUsage();
        context.setAttribute(ATTRIBUTE, fresh);
        return fresh;
    }

    /** The model the client asked for; {@code null} when it named none or the request was no pool request. */
    public String model() {
        return model;
    }

    void model(String name) {
        this.model = name;
    }

    /** Whether the proxy added {@code stream_options.include_usage}: the usage chunk is then dropped. */
    public boolean injected() {
        return injected;
    }

    void inject() {
        this.injected = true;
    }
}
