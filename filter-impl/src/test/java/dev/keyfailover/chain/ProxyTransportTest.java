package dev.keyfailover.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ProxyTransport} sends what HttpClient's own transport element sends (issue 22): the same
 * request bytes, head and body, on a real socket, for every kind of request a proxy forwards, and
 * the same refusals. Each request goes once through a stock client with our settings and once
 * through one whose transport element is ours; a raw upstream records both.
 */
class ProxyTransportTest {

    private static final byte[] JSON = "{\"model\":\"m\",\"input\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

    private Recorder upstream;
    private CloseableHttpClient stock;
    private CloseableHttpClient ours;

    @BeforeEach
    void start() throws IOException {
        upstream = new Recorder();
        stock = client(false);
        ours = client(true);
    }

    @AfterEach
    void stop() throws IOException {
        stock.close();
        ours.close();
        upstream.close();
    }

    @Test
    void aGetGoesOutByteForByteAsHttpClientSendsIt() throws Exception {
        String sent = assertSameOnTheWire(() -> request("GET", null, "Accept", "application/json", "X-Trace", "a b"));
        assertThat(sent).isEqualTo("GET /v1/responses?x=1 HTTP/1.1\r\nAccept: application/json\r\nX-Trace: a b\r\n"
                + "Host: 127.0.0.1:" + upstream.port() + "\r\nConnection: keep-alive\r\n\r\n");
    }

    @Test
    void aPostWithALengthGoesOutByteForByteAsHttpClientSendsIt() throws Exception {
        assertSameOnTheWire(() -> request("POST", new ByteArrayEntity(JSON, ContentType.APPLICATION_JSON),
                "Authorization", "Bearer sk-test", "anthropic-version", "2023-06-01"));
    }

    @Test
    void aChunkedPostGoesOutByteForByteAsHttpClientSendsIt() throws Exception {
        assertSameOnTheWire(() -> request("POST",
                new InputStreamEntity(new ByteArrayInputStream(JSON), -1, ContentType.APPLICATION_JSON), "Accept", "*/*"));
    }

    @Test
    void aPostWithoutBodyAndOneWithAnEncodingAndItsOwnContentTypeGoOutAsHttpClientSendsThem() throws Exception {
        assertSameOnTheWire(() -> request("POST", null));
        assertSameOnTheWire(() -> request("PUT", new ByteArrayEntity(JSON, ContentType.APPLICATION_JSON, "gzip"),
                "content-type", "application/x-custom"));
    }

    @Test
    void aHeadGoesOutByteForByteAsHttpClientSendsIt() throws Exception {
        assertSameOnTheWire(() -> request("HEAD", null, "Accept", "*/*"));
    }

    @Test
    void anOptionsWithABodyGoesOutByteForByteAsHttpClientSendsIt() throws Exception {
        assertSameOnTheWire(() -> request("OPTIONS", new ByteArrayEntity(JSON, ContentType.APPLICATION_JSON),
                "Content-Type", "application/json"));
        assertSameOnTheWire(() -> request("OPTIONS", null));
    }

    @Test
    void theCallersConnectionAndExpectHeadersAreKeptAsHttpClientKeepsThem() throws Exception {
        assertSameOnTheWire(() -> request("POST", new ByteArrayEntity(JSON, ContentType.APPLICATION_JSON),
                "Connection", "close"));
        assertSameOnTheWire(() -> {
            HttpUriRequestBase request = request("POST", new ByteArrayEntity(JSON, ContentType.APPLICATION_JSON));
            request.setConfig(RequestConfig.custom().setExpectContinueEnabled(true).build());
            return request;
        });
        assertSameOnTheWire(() -> request("GET", null, "Upgrade", "websocket", "Host", "elsewhere.example"));
    }

    @Test
    void requestsHttpClientRefusesAreRefusedWithItsWords() throws Exception {
        assertSameRefusal(() -> request("OPTIONS", new ByteArrayEntity(JSON, ContentType.APPLICATION_JSON)));
        assertSameRefusal(() -> request("POST", new ByteArrayEntity(JSON, ContentType.APPLICATION_JSON),
                "Content-Length", "3"));
        assertSameRefusal(() -> request("POST", new ByteArrayEntity(JSON, ContentType.APPLICATION_JSON),
                "Transfer-Encoding", "chunked"));
        assertSameRefusal(() -> request("TRACE", new ByteArrayEntity(JSON, ContentType.APPLICATION_JSON)));
        assertSameRefusal(() -> request("TRACE", null, "Authorization", "Bearer sk-test"));
    }

    /** The request as both sent it. */
    private String assertSameOnTheWire(Supplier<ClassicHttpRequest> request) throws Exception {
        String sentByStock = send(stock, request.get());
        String sentByOurs = send(ours, request.get());
        assertThat(sentByOurs).isEqualTo(sentByStock);
        return sentByOurs;
    }

    private void assertSameRefusal(Supplier<ClassicHttpRequest> request) {
        Throwable byStock = catchThrowable(() -> send(stock, request.get()));
        Throwable byOurs = catchThrowable(() -> send(ours, request.get()));
        assertThat(byStock).isNotNull();
        assertThat(byOurs).isNotNull().hasSameClassAs(byStock).hasMessage(byStock.getMessage());
        assertThat(upstream.requests).isEmpty();
    }

    private String send(CloseableHttpClient client, ClassicHttpRequest request) throws Exception {
        HttpHost target = new HttpHost("http", "127.0.0.1", upstream.port());
        try (ClassicHttpResponse response = client.executeOpen(target, request, null)) {
            assertThat(response.getCode()).isEqualTo(200);
            EntityUtils.consume(response.getEntity());
        }
        String sent = upstream.requests.poll(10, TimeUnit.SECONDS);
        assertThat(sent).as("the request the upstream read").isNotNull();
        return sent;
    }

    private static HttpUriRequestBase request(String method, org.apache.hc.core5.http.HttpEntity entity,
                                              String... headers) {
        HttpUriRequestBase request = new HttpUriRequestBase(method, java.net.URI.create("/v1/responses?x=1"));
        for (int i = 0; i < headers.length; i += 2) {
            request.addHeader(headers[i], headers[i + 1]);
        }
        request.setEntity(entity);
        return request;
    }

    /** A client with ProviderClient's settings, its transport element HttpClient's own or ours. */
    private static CloseableHttpClient client(boolean ourTransport) {
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create().build();
        HttpClientBuilder builder = HttpClientBuilder.create()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.ofSeconds(10))
                        .setExpectContinueEnabled(false)
                        .build())
                .disableAutomaticRetries()
                .disableContentCompression()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableDefaultUserAgent()
                .disableConnectionState()
                .replaceExecInterceptor("PROTOCOL", new ProxyProtocolExec());
        if (ourTransport) {
            builder.setConnectionReuseStrategy(ProxyReuseStrategy.INSTANCE)
                    .replaceExecInterceptor(ProxyTransport.element(), ProxyTransport.mainExec(connections));
        }
        return builder.build();
    }

    /**
     * Records each request's bytes, head and body as sent (a chunked body with its chunk lines),
     * answers 200 and closes; an {@code Expect: 100-continue} gets its 100 first.
     */
    private static final class Recorder implements AutoCloseable {
        final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
        private final ServerSocket server;

        Recorder() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "recording-upstream");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    requests.add(serve(socket.getInputStream(), socket.getOutputStream()));
                } catch (IOException e) {
                    // closed, or a request refused half-way: nothing recorded
                }
            }
        }

        private static String serve(InputStream in, OutputStream out) throws IOException {
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            String head = readLine(in, seen);
            long length = 0;
            boolean chunked = false;
            for (String line = readLine(in, seen); !line.isEmpty(); line = readLine(in, seen)) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:")) {
                    chunked = lower.contains("chunked");
                } else if (lower.equals("expect: 100-continue")) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
            if (chunked) {
                for (long size = chunk(in, seen); size > 0; size = chunk(in, seen)) {
                    copy(in, seen, size);
                    readLine(in, seen);
                }
                readLine(in, seen);
            } else if (!head.startsWith("HEAD ")) {
                copy(in, seen, length);
            }
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return seen.toString(StandardCharsets.ISO_8859_1);
        }

        private static long chunk(InputStream in, ByteArrayOutputStream seen) throws IOException {
            return Long.parseLong(readLine(in, seen).trim(), 16);
        }

        private static void copy(InputStream in, ByteArrayOutputStream seen, long length) throws IOException {
            seen.write(in.readNBytes((int) length));
        }

        /** One CRLF-ended line, without its CRLF, recorded with it. */
        private static String readLine(InputStream in, ByteArrayOutputStream seen) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b >= 0; b = in.read()) {
                seen.write(b);
                if (b == '\n' && line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
                    return line.substring(0, line.length() - 1);
                }
                line.append((char) b);
            }
            throw new IOException("the client closed mid-line");
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
