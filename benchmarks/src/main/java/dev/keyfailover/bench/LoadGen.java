package dev.keyfailover.bench;

/**
 * The load generator: a separate JVM with a fixed number of blocking client threads (closed
 * loop), each on its own keep-alive connection, recording into HdrHistogram (microseconds).
 * Prints one line {@code RESULT {json}}, which the orchestrator ({@link LoadGenerator}) parses.
 *
 * <p>Arguments are {@code key=value} ({@link LoadArgs}): {@code mode} (rps, sse, mem, hold, streams), {@code port},
 * {@code prefix} (route prefix, empty for direct), {@code auth} (a bearer key, or {@code none}), {@code header} (one
 * more request header, "Name: value": Portkey's config),
 * and per mode: {@code conc}, {@code warmup}, {@code duration} (seconds), {@code think} (ms
 * between requests of one thread), {@code bytes} (request body), {@code events}, {@code interval},
 * {@code n}, {@code mib}, {@code what} (upload or download), {@code streams}, {@code ramp} (ms). One class per mode:
 * {@link RpsMode}, {@link SseMode}, {@link MemMode}, {@link HoldMode}, {@link StreamsMode}.
 */
public final class LoadGen {

    private LoadGen() {
    }

    public static void main(String[] argv) throws Exception {
        LoadArgs args = LoadArgs.parse(argv);
        Outcomes outcomes = new Outcomes();
        String result = switch (args.arg("mode", null)) {
            case "rps" -> RpsMode.run(args, outcomes);
            case "sse" -> SseMode.run(args, outcomes);
            case "mem" -> MemMode.run(args, outcomes);
            case "hold" -> HoldMode.run(args, outcomes);
            case "streams" -> StreamsMode.run(args, outcomes);
            default -> throw new IllegalArgumentException("unknown mode");
        };
        System.out.println("RESULT " + result);
        System.exit(0);
    }
}
