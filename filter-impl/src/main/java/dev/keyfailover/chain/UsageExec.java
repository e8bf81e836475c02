package dev.keyfailover.chain;

import java.io.IOException;

import dev.keyfailover.api.Provider;
import dev.keyfailover.settings.UsageSettings;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;

/**
 * The request side of usage (behaviour.md §16), for pool requests: notes the model the request is
 * for, and under {@code streamUsage=inject} asks an OpenAI chat stream whose client did not ask
 * for its usage chunk ({@link StreamOptions}), uncompressed so that the chunk can be dropped for
 * the client; the body is otherwise the client's bytes. A body spilled to disk is left alone.
 */
final class UsageExec implements ExecChainHandler {

    private static final String CHAT = "/chat/completions";

    private final Provider provider;
    private final UsageSettings.StreamUsage streamUsage;

    UsageExec(Provider provider, UsageSettings.StreamUsage streamUsage) {
        this.provider = provider;
        this.streamUsage = streamUsage;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Exchange exchange = Exchange.of(scope.clientContext);
        if (!exchange.pooled()) {
            return chain.proceed(request, scope);
        }
        RequestUsage usage = RequestUsage.of(scope.clientContext);
        usage.model(exchange.model(request, provider.modelSource()));
        ClassicHttpRequest asking = switch (streamUsage) {
            case OFF -> null;
            case INJECT -> askingForUsage(request, exchange);
        };
        if (asking == null) {
            return chain.proceed(request, scope);
        }
        usage.inject();
        return chain.proceed(asking, Scopes.of(scope, asking));
    }

    /** The request asking for its usage chunk, or {@code null} when it asks already or is no OpenAI chat stream. */
    private static ClassicHttpRequest askingForUsage(ClassicHttpRequest request, Exchange exchange) {
        ReplayableBody body = exchange.body();
        String path = exchange.pathAndQuery();
        int query = path.indexOf('?');
        if (body == null || body.bytes() == null || !(query < 0 ? path : path.substring(0, query)).endsWith(CHAT)
                || StreamOptions.of(body.bytes()) != StreamOptions.Asks.NO_USAGE) {
            return null;
        }
        HttpEntity original = request.getEntity();
        String type = original.getContentType();
        HttpEntity asking = new ByteArrayEntity(StreamOptions.withUsage(body.bytes()),
                type == null ? null : ContentType.parseLenient(type), original.getContentEncoding());
        ClassicHttpRequest copy = ClassicRequestBuilder.copy(request).setEntity(asking).build();
        // The usage chunk is dropped for the client, which did not ask for it: in a compressed stream it could not be
        // found, so this stream comes uncompressed (Accept-Encoding is a preference; the client still gets a valid answer).
        copy.removeHeaders("Accept-Encoding");
        return copy;
    }
}
