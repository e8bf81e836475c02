package dev.keyfailover.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import dev.keyfailover.servlet.KeyFailoverServlet;
import dev.keyfailover.servlet.RouteLifecycle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * One proxy candidate on an embedded Jetty 12 (ee10) on 127.0.0.1, plus an in-process memory and
 * thread reporter on a second port ({@code /mem}, {@code /reset}).
 *
 * <p>Usage: {@code Candidate <kind> <port> <adminPort> <upstreamPort> <pool> <maxConnections> [<acceptQueue>
 * [<upstreamBufferSize>]]} (the last: KeyFailoverServlet's parameter of that name, else its default) where kind is
 * {@code keyfailover}, {@code keyfailover-faults} (scenario 9's routes, {@link FaultRoutes}), {@code jetty},
 * {@code jetty-flush} (Jetty's, flushing each chunk) or {@code mitre}, and pool is {@code qtp} (Jetty's default
 * {@link QueuedThreadPool}: 8 to 200 platform threads) or {@code vt:<max>} (Jetty's
 * {@link VirtualThreadPool} with at most {@code max} concurrent tasks).
 *
 * <p>Routes: {@code /k0/*} forwards to the upstream root with one good key (the client brings it for
 * the candidates without a key pool). KeyFailoverServlet also has {@code /k1/*} and {@code /k2/*},
 * whose pools start with one and two rate-limited keys, and {@code /c2/*}, whose first two keys are always limited
 * ({@code Retry-After: 30}, scenario 10).
 */
public final class Candidate {

    static final String GOOD_KEY = "sk-bench-good-000000000001";
    static final String LIMITED_KEY_1 = "sk-bench-ratelimited-00001";
    static final String LIMITED_KEY_2 = "sk-bench-ratelimited-00002";
    /** Keys the upstream always answers 429 with {@code Retry-After: 30} (scenario 10). */
    static final String COOLING_KEY_1 = "sk-bench-cooling30-000001";
    static final String COOLING_KEY_2 = "sk-bench-cooling30-000002";

    /**
     * Suffix of a kind run with an earlier build of filter-impl in front of the classpath (the same servlet and routes;
     * which classes it runs is the classpath's business).
     */
    static final String BEFORE = "@before";

    public static void main(String[] args) throws Exception {
        String kind = args[0].replace(BEFORE, "");
        int port = Integer.parseInt(args[1]);
        int adminPort = Integer.parseInt(args[2]);
        String upstream = "http://127.0.0.1:" + Integer.parseInt(args[3]);
        ThreadPool threads = threadPool(args[4]);
        String maxConnections = args[5];
        int acceptQueue = args.length > 6 ? Integer.parseInt(args[6]) : 4096;
        Map<String, String> routeParameters = new HashMap<>(Map.of("provider", "openai", "baseUrl", upstream,
                "maxConnections", maxConnections));
        if (args.length > 7) {
            routeParameters.put("upstreamBufferSize", args[7]);
        }

        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(acceptQueue);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        switch (kind) {
            case "keyfailover", "keyfailover-metrics" -> {
                if (kind.equals("keyfailover-metrics")) {
                    context.setAttribute(RouteLifecycle.METER_REGISTRY_ATTRIBUTE,
                            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
                }
                add(context, "k0", KeyFailoverServlet.class, withKeys(routeParameters, GOOD_KEY));
                add(context, "k1", KeyFailoverServlet.class, withKeys(routeParameters, LIMITED_KEY_1 + "," + GOOD_KEY));
                add(context, "k2", KeyFailoverServlet.class, withKeys(routeParameters,
                        LIMITED_KEY_1 + "," + LIMITED_KEY_2 + "," + GOOD_KEY));
                add(context, "c2", KeyFailoverServlet.class, withKeys(routeParameters,
                        COOLING_KEY_1 + "," + COOLING_KEY_2 + "," + GOOD_KEY));
            }
            case "keyfailover-faults" -> FaultRoutes.routes(upstream, routeParameters)
                    .forEach((route, params) -> add(context, route, KeyFailoverServlet.class, params));
            case "jetty" -> add(context, "k0", ProxyServlet.Transparent.class, Map.of("proxyTo", upstream,
                    "prefix", "/k0", "maxConnections", maxConnections));
            case "jetty-flush" -> add(context, "k0", FlushingJettyProxy.class, Map.of("proxyTo", upstream,
                    "prefix", "/k0", "maxConnections", maxConnections));
            case "mitre" -> add(context, "k0", org.mitre.dsmiley.httpproxy.ProxyServlet.class, Map.of(
                    "targetUri", upstream, "http.maxConnections", maxConnections, "log", "false"));
            default -> throw new IllegalArgumentException("unknown candidate " + kind);
        }
        if (Boolean.getBoolean("bench.sseProbe")) {
            context.addFilter(SseProbe.class, "/*", java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
        }
        server.setHandler(context);
        server.start();
        MemoryReporter reporter = new MemoryReporter();
        reporter.start(adminPort);
        System.out.println("candidate " + kind + " listening on " + port + ", pool " + threads);
        server.join();
    }

    private static Map<String, String> withKeys(Map<String, String> parameters, String keys) {
        Map<String, String> all = new HashMap<>(parameters);
        all.put("keys", keys);
        return all;
    }

    /**
     * Jetty's ProxyServlet aggregates response writes (its 32 KiB output buffer), which holds back
     * event streams; its maintainers' advice (jetty/jetty.project#3459) is to flush in
     * {@code onResponseContent}. This is that advice, nothing more.
     */
    public static final class FlushingJettyProxy extends ProxyServlet.Transparent {
        private static final long serialVersionUID = 1L;

        @Override
        protected void onResponseContent(jakarta.servlet.http.HttpServletRequest request,
                                         jakarta.servlet.http.HttpServletResponse response,
                                         org.eclipse.jetty.client.Response proxyResponse, byte[] buffer, int offset,
                                         int length, org.eclipse.jetty.util.Callback callback) {
            try {
                jakarta.servlet.ServletOutputStream out = response.getOutputStream();
                out.write(buffer, offset, length);
                out.flush();
                callback.succeeded();
            } catch (Throwable x) {
                callback.failed(x);
            }
        }
    }

    private static void add(ServletContextHandler context, String route, Class<? extends HttpServlet> servlet,
                            Map<String, String> params) {
        ServletHolder holder = new ServletHolder(route, servlet);
        holder.setInitParameters(params);
        holder.setInitOrder(1);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/" + route + "/*");
    }

    private static ThreadPool threadPool(String spec) {
        if (spec.equals("qtp")) {
            return new QueuedThreadPool();
        }
        if (spec.startsWith("vt:")) {
            VirtualThreadPool pool = new VirtualThreadPool(Integer.parseInt(spec.substring(3)));
            pool.setName("vt");
            return pool;
        }
        throw new IllegalArgumentException("pool must be qtp or vt:<max>: " + spec);
    }

    /**
     * Samples heap use every 10 ms: peak heap used (as sampled, garbage included), the largest
     * live heap seen after a collection, threads; RSS and its high-water mark from /proc.
     */
    static final class MemoryReporter {
        private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        private final ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        private volatile long peakUsed;
        private volatile long peakAfterGc;

        void start(int adminPort) throws IOException {
            Thread sampler = new Thread(() -> {
                while (true) {
                    sample();
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "mem-sampler");
            sampler.setDaemon(true);
            sampler.start();
            HttpServer admin = HttpServer.create(new InetSocketAddress("127.0.0.1", adminPort), 16);
            admin.createContext("/mem", exchange -> reply(exchange, report()));
            admin.createContext("/sse", exchange -> reply(exchange, SseProbe.drain()));
            admin.createContext("/reset", exchange -> {
                reset();
                reply(exchange, report());
            });
            admin.start();
        }

        private synchronized void sample() {
            long used = 0;
            long afterGc = 0;
            for (MemoryPoolMXBean pool : heapPools) {
                used += pool.getUsage().getUsed();
                if (pool.getCollectionUsage() != null) {
                    afterGc += pool.getCollectionUsage().getUsed();
                }
            }
            peakUsed = Math.max(peakUsed, used);
            peakAfterGc = Math.max(peakAfterGc, afterGc);
        }

        private synchronized void reset() {
            System.gc();
            for (MemoryPoolMXBean pool : heapPools) {
                pool.resetPeakUsage();
            }
            threadBean.resetPeakThreadCount();
            peakUsed = 0;
            peakAfterGc = 0;
            sample();
            try {
                // "5" resets the RSS high-water mark (VmHWM) of this process.
                Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            } catch (IOException | RuntimeException e) {
                System.err.println("cannot reset VmHWM: " + e);
            }
        }

        private String report() {
            sample();
            long poolPeaks = 0;
            for (MemoryPoolMXBean pool : heapPools) {
                poolPeaks += pool.getPeakUsage().getUsed();
            }
            Runtime rt = Runtime.getRuntime();
            return "{\"heapUsed\":" + (rt.totalMemory() - rt.freeMemory()) + ",\"heapMax\":" + rt.maxMemory()
                    + ",\"heapCommitted\":" + rt.totalMemory() + ",\"peakHeapUsed\":" + Math.max(peakUsed, poolPeaks)
                    + ",\"peakHeapAfterGc\":" + peakAfterGc + ",\"threads\":" + threadBean.getThreadCount()
                    + ",\"peakThreads\":" + threadBean.getPeakThreadCount() + ",\"vmRssKb\":" + proc("VmRSS")
                    + ",\"vmHwmKb\":" + proc("VmHWM") + ",\"gcCount\":" + gcCount() + ",\"cpuNanos\":" + cpuNanos()
                    + ",\"allocatedBytes\":" + allocatedBytes() + "}";
        }

        /** CPU time of the whole process (all threads, JIT and GC included). */
        private static long cpuNanos() {
            java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
        }

        /** Bytes allocated so far by the live threads (threads that ended are not counted). */
        private long allocatedBytes() {
            if (threadBean instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()) {
                long total = 0;
                for (long bytes : sun.getThreadAllocatedBytes(threadBean.getAllThreadIds())) {
                    total += Math.max(0, bytes);
                }
                return total;
            }
            return -1;
        }

        private static long gcCount() {
            return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(g -> Math.max(0, g.getCollectionCount()))
                    .sum();
        }

        private static long proc(String field) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith(field + ":")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
            return -1;
        }

        private static void reply(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
