package dev.keyfailover.bench;

import java.util.HashMap;
import java.util.Map;

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
 * thread reporter on a second port ({@code /mem}, {@code /reset}: {@link MemoryReporter}).
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
}
