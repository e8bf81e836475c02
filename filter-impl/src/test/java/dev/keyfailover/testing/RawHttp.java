package dev.keyfailover.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 over a plain socket, for what java.net.http will not send or hides (hop-by-hop headers, framing). */
public final class RawHttp {

    private RawHttp() {
    }

    /** Sends the request text as it is and reads until the server closes (send {@code Connection: close}). */
    public static String exchange(int port, String request) throws IOException {
        return new String(exchangeBytes(port, request.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    /**
     * Sends a request that keeps the connection alive, so the server frames the body itself
     * (chunked), and reads until the server closes, resets, or stays silent for two seconds.
     */
    public static String exchangeKeepAlive(int port, String request) throws IOException {
        return new String(exchangeBytes(port, request.getBytes(StandardCharsets.ISO_8859_1), 2_000),
                StandardCharsets.ISO_8859_1);
    }

    public static byte[] exchangeBytes(int port, byte[] request) throws IOException {
        return exchangeBytes(port, request, 15_000);
    }

    private static byte[] exchangeBytes(int port, byte[] request, int silenceMillis) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(silenceMillis);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (java.net.SocketException refused) {
                // The server answered (e.g. 431) and closed before taking the whole request: read its answer.
            }
            return readAll(socket.getInputStream());
        }
    }

    /**
     * Sends the request on a connection of its own, as curl does, and returns the moment the last
     * byte of the answer arrived (its {@code Content-Length}, or a chunked body's last chunk): the
     * head, a blank line and the body, unchunked. A client that sends its next request right then.
     */
    public static String oneAnswer(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String head = line(in);
            StringBuilder headers = new StringBuilder(head);
            long length = -1;
            boolean chunked = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                headers.append("\r\n").append(header);
                String lower = header.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(header.substring("content-length:".length()).trim());
                }
                chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (int size = Integer.parseInt(line(in).trim(), 16); size > 0;
                        size = Integer.parseInt(line(in).trim(), 16)) {
                    body.write(in.readNBytes(size));
                    line(in);
                }
                line(in);
            } else if (length >= 0) {
                body.write(in.readNBytes((int) length));
            } else {
                body.write(readAll(in));
            }
            return headers + "\r\n\r\n" + body.toString(StandardCharsets.UTF_8);
        }
    }

    /** One line of a head (or of chunked framing), without its CRLF. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new java.io.EOFException("the answer ended inside a line: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    public static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        try {
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (java.net.SocketException | java.net.SocketTimeoutException ended) {
            // An aborted response ends with a reset; a kept-alive one with silence: what arrived is the answer.
        }
        return out.toByteArray();
    }

    /** The head (status line and headers) of a raw response. */
    public static String head(String response) {
        int end = response.indexOf("\r\n\r\n");
        return end < 0 ? response : response.substring(0, end);
    }

    /** The body of a raw response, still framed as sent (chunked stays chunked). */
    public static String body(String response) {
        int end = response.indexOf("\r\n\r\n");
        return end < 0 ? "" : response.substring(end + 4);
    }
}
