package dev.keyfailover.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal blocking HTTP/1.1 client over one keep-alive socket: the load generator's, chosen so
 * that the client side costs the same few microseconds for every candidate. Handles
 * Content-Length, chunked and read-to-close bodies, and hands body bytes to a sink as they are
 * read (for per-event arrival times, {@link SseSink}).
 */
final class MiniHttp implements Closeable {

    /** Receives body bytes as they arrive. */
    interface Sink {
        void onData(byte[] buffer, int offset, int length);
    }

    private static final byte[] FILLER = "a".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[64 * 1024];
    private boolean reusable = true;

    int status;
    long contentLength;
    boolean chunked;

    MiniHttp(String host, int port, int readTimeoutMs) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        socket.setSoTimeout(readTimeoutMs);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    boolean reusable() {
        return reusable;
    }

    /** Sends a request; {@code headers} are "Name: value" lines without CRLF. */
    void send(String method, String path, String authority, RequestBody body, String... headers) throws IOException {
        StringBuilder head = new StringBuilder(256);
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length()).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        if (body != null) {
            out.write(body.prefix());
            long left = body.fillerBytes();
            while (left > 0) {
                int n = (int) Math.min(left, FILLER.length);
                out.write(FILLER, 0, n);
                left -= n;
            }
            out.write(body.suffix());
        }
        out.flush();
    }

    /** Reads the status line and headers. */
    void readHead() throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new IOException("bad status line: " + statusLine);
        }
        status = Integer.parseInt(statusLine.substring(9, 12));
        reusable = statusLine.startsWith("HTTP/1.1");
        contentLength = -1;
        chunked = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> {
                    if (value.toLowerCase(Locale.ROOT).contains("close")) {
                        reusable = false;
                    }
                }
                default -> {
                }
            }
        }
    }

    /** Reads the body to its end, handing bytes to the sink (may be null); returns the byte count. */
    long readBody(Sink sink) throws IOException {
        long total = 0;
        if (chunked) {
            while (true) {
                String sizeLine = line();
                int semi = sizeLine.indexOf(';');
                long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    while (!line().isEmpty()) {
                        // trailers
                    }
                    return total;
                }
                total += copy(size, sink);
                if (!line().isEmpty()) {
                    throw new IOException("bad chunk end");
                }
            }
        }
        if (contentLength >= 0) {
            return copy(contentLength, sink);
        }
        reusable = false;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            total += n;
            if (sink != null) {
                sink.onData(buffer, 0, n);
            }
        }
        return total;
    }

    private long copy(long size, Sink sink) throws IOException {
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("body ended " + left + " bytes early");
            }
            left -= n;
            if (sink != null) {
                sink.onData(buffer, 0, n);
            }
        }
        return size;
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed");
            }
            if (c == '\n') {
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return line.toString();
            }
            line.append((char) c);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** Drops the connection at once (RST), as a client that gives up would. */
    void abort() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // closing anyway
        }
        close();
    }
}
