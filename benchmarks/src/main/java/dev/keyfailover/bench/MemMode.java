package dev.keyfailover.bench;

import java.io.IOException;

import org.HdrHistogram.Histogram;

/**
 * Load-generator mode {@code mem}: {@code n} sequential large transfers, each on a new connection: a {@code mib} MiB
 * upload (POST, {@code what=upload}) or download ({@code what=download}); their times and the bytes moved.
 */
final class MemMode {

    private MemMode() {
    }

    static String run(LoadArgs args, Outcomes outcomes) throws Exception {
        int n = args.intArg("n", 3);
        long bytes = args.intArg("mib", 20) * 1024L * 1024L;
        boolean upload = args.arg("what", "upload").equals("upload");
        String prefix = args.arg("prefix", "");
        Histogram times = LatencyJson.histogram();
        long transferred = 0;
        for (int i = 0; i < n; i++) {
            try (MiniHttp conn = args.connect(60_000)) {
                long t0 = System.nanoTime();
                if (upload) {
                    conn.send("POST", prefix + "/v1/chat/completions", args.authority(), RequestBody.chat(bytes),
                            args.authHeaders());
                } else {
                    conn.send("GET", prefix + "/v1/big?mib=" + (bytes >> 20), args.authority(), null,
                            args.authHeaders());
                }
                conn.readHead();
                long got = conn.readBody(null);
                long t1 = System.nanoTime();
                if (conn.status == 200 && (upload || got == bytes)) {
                    outcomes.add("ok");
                    times.recordValue(Math.max(1, (t1 - t0) / 1000));
                    transferred += upload ? bytes : got;
                } else {
                    outcomes.add(conn.status != 200 ? "status-" + conn.status : "short-body");
                }
            } catch (IOException | RuntimeException e) {
                outcomes.add(Outcomes.nameOf(e));
            }
            Pause.millis(5);
        }
        return "{\"transferredBytes\":" + transferred + "," + LatencyJson.members(times) + ",\"outcomes\":"
                + outcomes.json() + "}";
    }
}
