package dev.keyfailover.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream at the socket level, on 127.0.0.1 and a free port, for faults a real HTTP server
 * will not produce: every connection reads one request head and then runs the script, on its own
 * daemon thread.
 */
public final class RawUpstream implements AutoCloseable {

    /** What to do with one connection once the request head has been read. */
    @FunctionalInterface
    public interface Script {
        void serve(Socket socket, OutputStream out) throws IOException;
    }

    private final ServerSocket server;
    private final Script script;
    private final AtomicInteger connections = new AtomicInteger();

    private RawUpstream(Script script) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        Thread acceptor = new Thread(this::accept, "raw-upstream-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static RawUpstream start(Script script) throws IOException {
        return new RawUpstream(script);
    }

    /** Closes with a TCP reset right after reading the request: no status line at all. */
    public static Script resetBeforeStatusLine() {
        return (socket, out) -> reset(socket);
    }

    /** Sends {@code head} (status line and headers, CRLF-separated, without the blank line) and {@code body}, then resets. */
    public static Script headAndBodyThenReset(String head, String body) {
        return (socket, out) -> {
            out.write((head + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            reset(socket);
        };
    }

    /** Sends {@code head} and {@code body}, then closes normally (a FIN): for bodies shorter than announced. */
    public static Script headAndBodyThenClose(String head, String body) {
        return (socket, out) -> {
            out.write((head + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
        };
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** How many connections were accepted so far. */
    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                Thread serving = new Thread(() -> serve(socket), "raw-upstream-conn");
                serving.setDaemon(true);
                serving.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            readHead(socket.getInputStream());
            script.serve(socket, socket.getOutputStream());
        } catch (IOException e) {
            // the proxy went away: nothing to serve
        }
    }

    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Reads up to and including the blank line that ends a request head. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
