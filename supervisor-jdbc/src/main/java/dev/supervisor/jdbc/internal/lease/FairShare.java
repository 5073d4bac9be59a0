package dev.supervisor.jdbc.internal.lease;

import java.util.List;

/**
 * How many keys one node should hold: the rows shared evenly among the live nodes, where a node
 * that cannot take its even part (its capacity is lower) takes all it can and the others share
 * the rest ("water-filling"). Rounded up, so the shares always cover every row and a node at its
 * share never has to give a key up for another to reach its own.
 */
public final class FairShare {

    private FairShare() {
    }

    /**
     * This node's share.
     *
     * @param rows the desired rows
     * @param capacities every live node's capacity, this node's included
     * @param ownCapacity this node's capacity
     */
    public static int of(long rows, List<Integer> capacities, int ownCapacity) {
        List<Integer> sorted = capacities.stream().sorted().toList();
        long remaining = rows;
        int nodes = sorted.size();
        for (int capacity : sorted) {
            if (capacity >= ceilDiv(remaining, nodes)) {
                break;
            }
            remaining -= capacity;
            nodes--;
        }
        long level = nodes == 0 ? Long.MAX_VALUE : ceilDiv(remaining, nodes); // all capped: each takes its capacity
        return (int) Math.min(ownCapacity, level);
    }

    private static long ceilDiv(long dividend, int divisor) {
        return Math.max(0, -Math.floorDiv(-dividend, divisor));
    }
}
