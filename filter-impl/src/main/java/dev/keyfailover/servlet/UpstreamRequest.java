package dev.keyfailover.servlet;

import java.net.URI;
import java.util.concurrent.atomic.AtomicMarkableReference;

import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.CancellableDependency;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.net.URIAuthority;

/**
 * The request handed to the provider's client, cancellable like HttpClient's
 * {@code HttpUriRequestBase} (the client ties the exchange's connection to it, so that a client
 * that stalls or leaves cancels it), but made of scheme, authority and path without a
 * {@code URI}: that one's only constructor parses and splits a URI, on every request.
 */
final class UpstreamRequest extends BasicClassicHttpRequest implements CancellableDependency {

    private static final long serialVersionUID = 1L;

    /** The exchange to cancel; marked once cancelled (HttpUriRequestBase's protocol). */
    private final transient AtomicMarkableReference<Cancellable> dependency =
            new AtomicMarkableReference<>(null, false);

    private final transient HttpHost target;

    /** @param target the host of {@code scheme} and {@code authority}, made once per route */
    UpstreamRequest(String method, String scheme, URIAuthority authority, String path, HttpHost target) {
        super(method, scheme, authority, path);
        this.target = target;
    }

    /** For base URLs that are resolved per request (on this same server). */
    UpstreamRequest(String method, URI uri) {
        super(method, uri);
        this.target = null;
    }

    /**
     * The host to hand the client with this request (what it would derive from scheme and
     * authority, made once per route instead); {@code null}: the client derives it.
     */
    HttpHost target() {
        return target;
    }

    @Override
    public boolean cancel() {
        while (!dependency.isMarked()) {
            Cancellable current = dependency.getReference();
            if (dependency.compareAndSet(current, current, false, true)) {
                if (current != null) {
                    current.cancel();
                }
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean isCancelled() {
        return dependency.isMarked();
    }

    @Override
    public void setDependency(Cancellable cancellable) {
        Cancellable current = dependency.getReference();
        if (!dependency.compareAndSet(current, cancellable, false, false)) {
            // Already cancelled: the exchange that just started is cancelled at once.
            cancellable.cancel();
        }
    }

    @Override
    public String toString() {
        return getMethod() + " " + getRequestUri();
    }
}
