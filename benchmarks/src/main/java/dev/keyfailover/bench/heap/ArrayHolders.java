package dev.keyfailover.bench.heap;

import java.io.File;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.netbeans.lib.profiler.heap.FieldValue;
import org.netbeans.lib.profiler.heap.Heap;
import org.netbeans.lib.profiler.heap.HeapFactory;
import org.netbeans.lib.profiler.heap.Instance;
import org.netbeans.lib.profiler.heap.ObjectArrayInstance;
import org.netbeans.lib.profiler.heap.ObjectFieldValue;

/**
 * Who holds the large arrays of a heap dump ({@code jcmd <pid> GC.heap_dump FILE}): arrays of at least
 * {@code minBytes} by type and size, then summed by the field that holds them, one and two levels up
 * ({@code Owner.field -> Holder.field}). How issue 13's 96 KiB per pooled upstream connection was found.
 *
 * <p>Usage: {@code java -cp "benchmarks/target/benchmarks-*.jar:benchmarks/target/lib/*"
 * dev.keyfailover.bench.heap.ArrayHolders DUMP [minBytes, default 1024]}. A reference held only by a
 * thread's stack (a local variable) has no field and is not listed.
 */
public final class ArrayHolders {

    private final Heap heap;
    private final long minBytes;

    private ArrayHolders(Heap heap, long minBytes) {
        this.heap = heap;
        this.minBytes = minBytes;
    }

    public static void main(String[] args) throws Exception {
        long minBytes = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        new ArrayHolders(HeapFactory.createFastHeap(new File(args[0])), minBytes).report();
    }

    private void report() {
        Map<Long, Long> arrays = new HashMap<>();
        Map<String, long[]> bySize = new TreeMap<>();
        for (Instance instance : heap.getAllInstances()) {
            String type = instance.getJavaClass().getName();
            if (type.endsWith("[]") && instance.getSize() >= minBytes) {
                arrays.put(instance.getInstanceId(), instance.getSize());
                add(bySize, type + " of " + instance.getSize() + " bytes", instance.getSize());
            }
        }
        print("arrays of at least " + minBytes + " bytes", bySize);
        Holders first = holders(arrays, Map.of());
        print("held by (field)", first.total);
        Map<Long, Long> holderBytes = first.bytesByHolder;
        print("held by (field -> field)", holders(holderBytes, first.nameByHolder).total);
    }

    /** Every field or array slot that refers to one of {@code held}, summed by its owner's type and field. */
    private Holders holders(Map<Long, Long> held, Map<Long, String> heldNames) {
        Holders result = new Holders();
        for (Instance instance : heap.getAllInstances()) {
            String owner = instance.getJavaClass().getName();
            if (instance instanceof ObjectArrayInstance array) {
                for (Long id : array.getValueIDs()) {
                    result.add(instance, owner + "[*]", id, held, heldNames);
                }
                continue;
            }
            for (FieldValue field : instance.getFieldValues()) {
                if (field instanceof ObjectFieldValue reference) {
                    result.add(instance, owner + "." + field.getField().getName(), reference.getInstanceId(), held,
                            heldNames);
                }
            }
        }
        return result;
    }

    private static void add(Map<String, long[]> sums, String key, long bytes) {
        long[] sum = sums.computeIfAbsent(key, k -> new long[2]);
        sum[0]++;
        sum[1] += bytes;
    }

    private static void print(String title, Map<String, long[]> sums) {
        System.out.println("== " + title + " (count, MiB)");
        sums.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(25)
                .forEach(e -> System.out.printf("%9d %9.1f  %s%n", e.getValue()[0], e.getValue()[1] / 1048576.0,
                        e.getKey()));
    }

    private static final class Holders {
        final Map<String, long[]> total = new HashMap<>();
        final Map<Long, Long> bytesByHolder = new HashMap<>();
        final Map<Long, String> nameByHolder = new HashMap<>();

        void add(Instance owner, String ownerField, Long id, Map<Long, Long> held, Map<Long, String> heldNames) {
            if (id == null || !held.containsKey(id)) {
                return;
            }
            String name = heldNames.containsKey(id) ? ownerField + " -> " + heldNames.get(id) : ownerField;
            long bytes = held.get(id);
            ArrayHolders.add(total, name, bytes);
            bytesByHolder.merge(owner.getInstanceId(), bytes, Long::sum);
            nameByHolder.put(owner.getInstanceId(), name);
        }
    }
}
