package dev.keyfailover.chain;

import java.io.IOException;
import java.util.Optional;
import java.nio.charset.StandardCharsets;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.http.message.StatusLine;

/**
 * Records every upstream attempt (behaviour.md §7). Placed inside {@link KeyFailoverExec}, so failed
 * attempts are recorded too. Bodies are teed as they pass: the client gets every byte when it
 * would without the dump.
 */
final class ApiDumpExec implements ExecChainHandler {

    private final ApiDump dump;

    ApiDumpExec(ApiDump dump) {
        this.dump = dump;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        String stem = dump.stem(scope.exchangeId, Exchange.of(scope.clientContext).attempts());

        DumpSink requestSink = sink(stem + ".request.txt");
        Optional<String> client = Caller.of(scope.clientContext).client();
        if (client.isPresent()) {
            // The client token's name (behaviour.md §13), on a line of its own before the request's head.
            requestSink.write(("# client: " + client.get() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        requestSink.write(dump.head(request.getMethod() + " " + dump.masker().uri(requestUri(request)), request));
        ClassicHttpRequest recorded = request;
        if (request.getEntity() != null) {
            recorded = ClassicRequestBuilder.copy(request).setEntity(new TeedEntity(request.getEntity(), requestSink, "request")).build();
        }

        DumpSink responseSink = sink(stem + ".response.txt");
        ClassicHttpResponse response;
        try {
            response = chain.proceed(recorded, Scopes.of(scope, recorded));
        } catch (IOException | HttpException | RuntimeException e) {
            responseSink.write(("transport error: " + e.getClass().getName() + ": " + e.getMessage() + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            responseSink.close();
            throw e;
        } finally {
            requestSink.close();
        }
        responseSink.write(dump.head(new StatusLine(response).toString(), response));
        if (response.getEntity() == null) {
            responseSink.close();
        } else {
            response.setEntity(new TeedEntity(response.getEntity(), responseSink, "answer"));
        }
        return response;
    }

    private DumpSink sink(String fileName) {
        return new DumpSink(dump, fileName, dump.open(fileName));
    }

    private static String requestUri(ClassicHttpRequest request) {
        try {
            return request.getUri().toString();
        } catch (java.net.URISyntaxException e) {
            return request.getRequestUri();
        }
    }
}
