package dev.keyfailover.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local address whose connect hangs, as an unreachable upstream's does: a listening socket that
 * never accepts, its accept queue (backlog 1) filled by a few connections of our own, so the
 * kernel drops further SYNs and a client's connect waits for its own timeout. {@link #silent()}
 * is the other kind: a port that takes the connection and never says a word (a TLS handshake
 * then hangs). {@link #acceptingUntilHung()} serves connections the test accepts until it makes
 * later connects hang.
 */
public final class UnansweredPort implements AutoCloseable {

    private static final int FILL_CONNECT_MILLIS = 200;
    private static final int MAX_FILL = 16;

    private final ServerSocket listener;
    private final List<Socket> queued = new CopyOnWriteArrayList<>();

    private UnansweredPort(int backlog) throws IOException {
        this.listener = new ServerSocket(0, backlog, InetAddress.getLoopbackAddress());
    }

    /** A port whose connect hangs; fails when the kernel here does not let it hang. */
    public static UnansweredPort connectHangs() throws IOException {
        UnansweredPort port = new UnansweredPort(1);
        port.hangConnects();
        return port;
    }

    /**
     * A port that takes connections until {@link #hangConnects()}: each is {@link #accept}ed by the
     * test, which speaks for the upstream on it.
     */
    public static UnansweredPort acceptingUntilHung() throws IOException {
        return new UnansweredPort(1);
    }

    /** The next connection to this port, within {@code millis}. */
    public Socket accept(int millis) throws IOException {
        listener.setSoTimeout(millis);
        Socket accepted = listener.accept();
        queued.add(accepted);
        return accepted;
    }

    /** From now on, connects to this port hang (connections accepted before stay as they are). */
    public void hangConnects() throws IOException {
        // The queue holds backlog + 1 connections here (Linux); full when our own connects time out, twice in a row
        // so that one slow connect on a busy machine is not taken for it.
        int timedOut = 0;
        for (int i = 0; i < MAX_FILL; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(address(), FILL_CONNECT_MILLIS);
                queued.add(socket);
                timedOut = 0;
            } catch (SocketTimeoutException full) {
                socket.close();
                if (++timedOut == 2) {
                    return;
                }
            }
        }
        close();
        throw new IllegalStateException("connects to a never-accepting port with backlog 1 do not hang here");
    }

    /** A port that takes connections (the kernel's accept queue) and never reads or writes. */
    public static UnansweredPort silent() throws IOException {
        return new UnansweredPort(50);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    /** {@code scheme://127.0.0.1:port} (the loopback address, so that one address is tried, not two). */
    public URI uri(String scheme) {
        return URI.create(scheme + "://" + listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        for (Socket socket : queued) {
            socket.close();
        }
        listener.close();
    }
}
