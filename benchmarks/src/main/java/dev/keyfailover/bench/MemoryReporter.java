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
import java.util.List;

import com.sun.net.httpserver.HttpServer;

/**
 * Samples heap use every 10 ms: peak heap used (as sampled, garbage included), the largest
 * live heap seen after a collection, threads; RSS and its high-water mark from /proc.
 */
final class MemoryReporter {
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
