package dev.keyfailover.bench;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * The fake upstream's large answer ({@code .../big?mib=N}, scenario 4): N MiB of chunked
 * {@code application/octet-stream}, written from one shared read-only buffer, each write waiting for the one before,
 * so the upstream holds no more than 64 KiB whatever N is.
 */
final class BigDownload {

    private static final ByteBuffer FILLER;

    static {
        byte[] filler = new byte[64 * 1024];
        Arrays.fill(filler, (byte) 'x');
        FILLER = ByteBuffer.wrap(filler).asReadOnlyBuffer();
    }

    private BigDownload() {
    }

    static void send(Request request, Response response, Callback callback, UpstreamCounters counters) {
        long total = Upstream.intParam(Request.extractQueryParameters(request), "mib", 200) * 1024L * 1024L;
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        counters.ok.incrementAndGet();
        new IteratingCallback() {
            long remaining = total;

            @Override
            protected Action process() {
                if (remaining == 0) {
                    return Action.SUCCEEDED;
                }
                int n = (int) Math.min(FILLER.capacity(), remaining);
                remaining -= n;
                response.write(remaining == 0, FILLER.duplicate().limit(n), this);
                return Action.SCHEDULED;
            }

            @Override
            protected void onCompleteSuccess() {
                callback.succeeded();
            }

            @Override
            protected void onCompleteFailure(Throwable cause) {
                callback.failed(cause);
            }
        }.iterate();
    }
}
