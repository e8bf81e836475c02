package dev.keyfailover.pool;

/** The state of a key in the pool (behaviour.md §1). */
public enum KeyState {
    /** Usable. */
    VALID,
    /** Rate-limited until a deadline, then valid again by itself. */
    COOLING,
    /** Failed authentication; used again only as a re-check probe. */
    DISABLED,
    /** Its account ran out of credit or quota (behaviour.md §9); used again only as a re-check probe. */
    EXHAUSTED
}
