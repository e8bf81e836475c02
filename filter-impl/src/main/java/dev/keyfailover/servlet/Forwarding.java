package dev.keyfailover.servlet;

import java.io.IOException;
import java.time.Clock;
import java.util.Set;
import java.util.function.Supplier;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.ProxyFailure;
import dev.keyfailover.chain.Caller;
import dev.keyfailover.chain.Exchange;
import dev.keyfailover.chain.LogThrottle;
import dev.keyfailover.chain.LogThrottles;
import dev.keyfailover.chain.ProviderClient;
import dev.keyfailover.chain.ProviderFaults;
import dev.keyfailover.chain.ProxyResponses;
import dev.keyfailover.chain.RequestSpans;
import dev.keyfailover.chain.RequestUsage;
import dev.keyfailover.chain.ThrottledLines;
import dev.keyfailover.metrics.RequestOutcome;
import dev.keyfailover.metrics.UsageLedger;
import dev.keyfailover.settings.InboundLimits;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One admitted client request of a route, end to end (behaviour.md §8): the refusals the proxy
 * makes before forwarding (405, 400), the exchange through the provider's client, transport
 * failures as 502/504 (and code that throws as 502), the answer copied back, and how the request
 * ended. The route counts it.
 */
final class Forwarding {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyRoute.class);
    private static final Set<String> NOT_FORWARDED = Set.of("TRACE", "CONNECT");
    private static final Runnable NOTHING_TO_RELEASE = () -> { };

    private final UpstreamTarget target;
    private final ProviderClient client;
    private final UpstreamRequests requests;
    private final ResponseStreamer streamer;
    private final ClientWatchdog watchdog;
    private final UsageLedger usage;
    /** A provider that is down fails every request: its line by the exception's class, once per window. */
    private final LogThrottles upstreamFailures;
    /** Code that throws on a request (a provider's bug): a stack once per window, then a count (§8). */
    private final ProviderFaults faults;
    /** This server's origin, asked for only by a same-server base URL (this route's or a fallback route's). */
    private final ServerOrigin serverOrigin = new ServerOrigin();

    Forwarding(String baseUrl, ProviderClient client, UpstreamRequests requests, ResponseStreamer streamer,
               ClientWatchdog watchdog, UsageLedger usage, Clock clock, ThrottledLines lines) {
        this.target = UpstreamTarget.of(baseUrl);
        this.client = client;
        this.requests = requests;
        this.streamer = streamer;
        this.watchdog = watchdog;
        this.usage = usage;
        this.upstreamFailures = lines.throttles(clock, LOG, Level.WARN, client.provider().name(),
                "upstream failed before answering: ");
        this.faults = lines.providerFaults(clock, client.provider().name());
    }

    private Provider provider() {
        return client.provider();
    }

    /** Forwards one admitted request of this caller and says how it ended. */
    RequestOutcome forward(HttpServletRequest request, HttpServletResponse response, String rawRest, Caller caller)
            throws IOException {
        HttpClientContext context = HttpClientContext.create();
        Exchange exchange = Exchange.start(context, UpstreamRequests.containerHeaderLogin(request));
        caller.attach(context);
        if (NOT_FORWARDED.contains(request.getMethod())) {
            // TRACE would echo the pool key back to the client; CONNECT would open a tunnel.
            return answer(ProxyFailure.METHOD_NOT_ALLOWED, "method " + request.getMethod() + " is not forwarded",
                    response, exchange);
        }
        UpstreamRequest upstream;
        ClassicHttpResponse answer;
        // The body is read (by the chain) before any upstream connection is leased: a slow upload holds none.
        try (ClientWatchdog.Watch upload = watchdog.watch(NOTHING_TO_RELEASE)) {
            try {
                String rest = ForwardPath.check(rawRest);
                // Asked only for a base URL on this server: one request's hot path need not build it.
                Supplier<String> origin = () -> serverOrigin.of(request);
                String query = request.getQueryString();
                String pathAndQuery = query == null ? rest : rest + "?" + query;
                upstream = requests.build(request, target, origin, pathAndQuery, upload);
                exchange.forwarded(origin, pathAndQuery);
            } catch (IllegalArgumentException e) {
                return answer(ProxyFailure.BAD_REQUEST, "cannot forward this request: " + e.getMessage(), response,
                        exchange);
            }
            try {
                // The route's host made once: the client would make it of scheme and authority per request.
                answer = client.executeOpen(upstream.target(), upstream, context);
            } catch (ClientBodyTimeoutException e) {
                LOG.debug("{}: client did not send its body within clientIdleTimeout", provider().name());
                if (request.getProtocol().startsWith("HTTP/1")) {
                    // The rest of the body may still trickle in: the connection cannot be reused.
                    response.setHeader("Connection", "close");
                }
                return answer(ProxyFailure.REQUEST_TIMEOUT, "request body not received within clientIdleTimeout",
                        response, exchange);
            } catch (ClientAbortedException e) {
                LOG.debug("{}: client went away while sending its body", provider().name());
                return RequestOutcome.CLIENT_ERROR;
            } catch (IOException e) {
                UpstreamFailures.Answer failure = UpstreamFailures.beforeAnswer(e);
                long leftOut = upstreamFailures.occurred(e.getClass().getName());
                if (leftOut != LogThrottle.COUNTED) {
                    LOG.warn("{}: upstream {} failed before answering: {}{}", provider().name(), upstream.getMethod(),
                            e.toString(), LogThrottle.summary(leftOut));
                }
                return answer(failure.failure(), failure.message(), response, exchange);
            } catch (RuntimeException e) {
                // A bug, most likely in a provider of one's own: the provider's 502, not the container's error
                // page, which shows the exception's message (it may hold the key) and, on Tomcat, its stack.
                faults.log("the request", e);
                return answer(ProxyFailure.BAD_GATEWAY, "the proxy failed on this request ("
                        + e.getClass().getSimpleName() + ")", response, exchange);
            }
        }
        if (exchange.origin() == Exchange.Origin.PROXY && UpstreamRequests.hasBody(request)
                && request.getProtocol().startsWith("HTTP/1")) {
            // Refused before its body was read whole (401, 429, 413): the connection cannot be reused safely.
            response.setHeader("Connection", "close");
        }
        // A write the client leaves blocked past clientIdleTimeout cancels the exchange: its connection is let go.
        try (ClientWatchdog.Watch writes = watchdog.watch(upstream::cancel)) {
            RequestUsage asked = RequestUsage.of(context);
            UsageTap tap = UsageTap.of(answer, exchange, asked);
            AnswerCount count = AnswerCount.of(usage, exchange, asked, caller.client(), tap);
            try {
                return copyAnswer(answer, upstream, response, exchange, caller, writes, tap, count);
            } finally {
                // The copy counted an answer that came whole before its last bytes went out; this one broke off.
                count.count();
                RequestSpans.answerDone(context, tap.usage());
            }
        }
    }

    private RequestOutcome copyAnswer(ClassicHttpResponse answer, UpstreamRequest upstream,
                                      HttpServletResponse response, Exchange exchange, Caller caller,
                                      ClientWatchdog.Watch writes, UsageTap tap, AnswerCount count)
            throws IOException {
        try {
            streamer.copy(answer, response, exchange, writes, tap, count);
            answer.close();
            return RequestOutcome.answered(exchange, caller);
        } catch (IOException e) {
            upstream.cancel();
            closeQuietly(answer);
            if (writes.expired()) {
                // Whether the blocked write failed or finally went out, the answer is cut: abort, never a clean end.
                throw new ClientStalledException(provider().name(), e);
            }
            if (e instanceof ClientAbortedException) {
                LOG.debug("{}: client went away, upstream exchange aborted", provider().name());
                return RequestOutcome.CLIENT_ERROR;
            }
            if (!response.isCommitted()) {
                response.reset();
                UpstreamFailures.Answer failure = UpstreamFailures.insideAnswer(e);
                return answer(failure.failure(), failure.message(), response, exchange);
            }
            throw new UpstreamBrokeException(provider().name(), e);
        }
    }

    /**
     * The 503 over {@code maxConcurrentStreams}, with a short {@code Retry-After}: nothing of the
     * request is read, no thread waits for a slot.
     */
    RequestOutcome refuseOverloaded(HttpServletResponse response) throws IOException {
        LOG.debug("{}: refused a request over maxConcurrentStreams", provider().name());
        long retryAfter = InboundLimits.OVERLOAD_RETRY_AFTER.toSeconds();
        ClassicHttpResponse refusal = ProxyResponses.failure(provider(), faults, ProxyFailure.OVERLOADED, provider().name()
                + ": the proxy is serving as many requests as it may at once; retry after " + retryAfter + " s");
        refusal.setHeader("Retry-After", Long.toString(retryAfter));
        return answer(refusal, response, Exchange.start(HttpClientContext.create(), false));
    }

    /** An answer of the proxy itself, in the provider's error format. */
    private RequestOutcome answer(ProxyFailure failure, String message, HttpServletResponse response,
                                  Exchange exchange) throws IOException {
        return answer(ProxyResponses.failure(provider(), faults, failure, message), response, exchange);
    }

    private RequestOutcome answer(ClassicHttpResponse own, HttpServletResponse response, Exchange exchange)
            throws IOException {
        try (ClientWatchdog.Watch writes = watchdog.watch(NOTHING_TO_RELEASE)) {
            streamer.copy(own, response, exchange, writes);
            return RequestOutcome.PROXY_ERROR;
        } catch (ClientAbortedException e) {
            LOG.debug("client went away before the proxy's own answer was written");
            return RequestOutcome.CLIENT_ERROR;
        }
    }

    private static void closeQuietly(ClassicHttpResponse answer) {
        try {
            answer.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing an aborted upstream answer: {}", e.toString());
        }
    }
}
