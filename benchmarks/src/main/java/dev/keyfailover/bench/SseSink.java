package dev.keyfailover.bench;

import java.nio.charset.StandardCharsets;

/**
 * Parses SSE lines out of body bytes as {@link MiniHttp} reads them and reports each {@code data:} event's one-way
 * delay: its arrival (epoch microseconds, taken once per read) minus the send time the upstream wrote into it
 * ({@code "t"}). Counts the events and notes {@code data: [DONE]}.
 */
final class SseSink implements MiniHttp.Sink {

    interface Listener {
        void onEvent(long delayMicros, long arrivalNanos);
    }

    private final Listener listener;
    private final byte[] line = new byte[16 * 1024];
    private int length;
    int events;
    boolean done;

    SseSink(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void onData(byte[] buffer, int offset, int count) {
        long arrivalMicros = EpochMicros.now();
        long arrivalNanos = System.nanoTime();
        for (int i = offset; i < offset + count; i++) {
            byte b = buffer[i];
            if (b == '\n') {
                handleLine(arrivalMicros, arrivalNanos);
                length = 0;
            } else if (length < line.length) {
                line[length++] = b;
            }
        }
    }

    private void handleLine(long arrivalMicros, long arrivalNanos) {
        // Cheap test for "data:" first: most lines of a stream are blank separators.
        if (length < 6 || line[0] != 'd' || line[4] != ':') {
            return;
        }
        String data = new String(line, 0, length, StandardCharsets.US_ASCII);
        if (data.startsWith("data: [DONE]")) {
            done = true;
            return;
        }
        int t = data.indexOf("\"t\":");
        if (t < 0) {
            return;
        }
        int end = t + 4;
        while (end < data.length() && Character.isDigit(data.charAt(end))) {
            end++;
        }
        events++;
        listener.onEvent(arrivalMicros - Long.parseLong(data.substring(t + 4, end)), arrivalNanos);
    }
}
