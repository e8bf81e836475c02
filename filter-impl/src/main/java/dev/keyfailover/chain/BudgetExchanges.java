package dev.keyfailover.chain;

import java.io.IOException;

import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.HttpClientConnection;
import org.apache.hc.core5.http.io.HttpResponseInformationCallback;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * HttpClient's request executor, which hands the connection of an exchange the deadline of the
 * request's budget, if it has one ({@link AttemptDeadline}), for as long as the exchange lasts: its
 * head and a held-back first byte then end at that deadline at the latest
 * ({@link MaskedConnections}). The executor is where HttpClient gives the request's context and its
 * connection together, once the connection is leased and connected; without a budget, one context
 * lookup and nothing else.
 */
final class BudgetExchanges extends HttpRequestExecutor {

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, HttpClientConnection conn,
                                       HttpResponseInformationCallback informationCallback, HttpContext context)
            throws IOException, HttpException {
        AttemptDeadline attempt = AttemptDeadline.in(context);
        if (attempt == null) {
            return super.execute(request, conn, informationCallback, context);
        }
        MaskedConnections.underBudget(conn, attempt);
        try {
            return super.execute(request, conn, informationCallback, context);
        } finally {
            MaskedConnections.underBudget(conn, null);
        }
    }
}
