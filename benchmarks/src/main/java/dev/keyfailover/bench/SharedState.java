package dev.keyfailover.bench;

import java.util.List;

import dev.keyfailover.bench.pool.SharedStateBench;

/**
 * Scenario 8 (issue 12): 3 proxy nodes with 16 clients each, keys flipping to 429 on a seeded schedule;
 * {@code stateStore=local} against {@code jcache} on 3 Hazelcast members. {@link SharedStateBench} in a child JVM.
 */
final class SharedState implements Scenario {

    @Override
    public int number() {
        return 8;
    }

    @Override
    public Section measure(Lab lab) throws Exception {
        boolean quick = lab.options().quick();
        List<String> args = List.of("--requests=" + (quick ? 60 : 300), "--cpu-requests=" + (quick ? 100 : 300),
                "--rounds=" + (quick ? 1 : 3), "--seed=12", "--paced-seconds=" + (quick ? 8 : 20));
        return new SharedStateResults(ChildJvm.run(lab, "s8-shared-state", List.of("-Xmx1g", "-XX:+UseG1GC"),
                SharedStateBench.class, args, 1200));
    }
}
