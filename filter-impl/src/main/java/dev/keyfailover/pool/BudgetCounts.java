package dev.keyfailover.pool;

import java.time.LocalDate;

/**
 * What keys and clients spent of their budgets (behaviour.md §16), one count per owner and window:
 * in this node's memory ({@link KeyStateStore#budgetCounts()} of the local store) or in the shared
 * cache, where every node adds to the same count atomically. An owner is a name without a secret
 * (a key's fingerprint, a client token's name); a count of an earlier window reads as 0.
 */
public interface BudgetCounts {

    /**
     * Adds {@code amount} to the owner's count of {@code window} (a count of an earlier window is
     * replaced), atomically.
     *
     * @return the count after this addition
     */
    long add(String owner, LocalDate window, long amount);

    /** The owner's count in {@code window}, 0 when none is known. */
    long spent(String owner, LocalDate window);
}
