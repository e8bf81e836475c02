package dev.keyfailover.pool;

/**
 * A key's place in its pool (behaviour.md §14): where it came from, an administrator's label,
 * whether it has left the pool (retired: no walk picks it any more) and whether an administrator
 * took it out of service (neither used nor re-checked until enabled). Only the pool changes it.
 */
public final class KeyMembership {

    private volatile KeySource source = KeySource.DEPLOY;
    private volatile String label = "";
    private volatile boolean retired;
    private volatile boolean adminDisabled;

    KeyMembership() {
    }

    /** Where the key came from: deploy-time configuration, the keys file, or the admin API. */
    public KeySource source() {
        return source;
    }

    /** The label an administrator gave the key; empty when none. */
    public String label() {
        return label;
    }

    /** Whether the key has left its pool: walks started before may still hold it, but skip it. */
    public boolean isRetired() {
        return retired;
    }

    /** Whether an administrator took the key out of service. */
    public boolean isAdminDisabled() {
        return adminDisabled;
    }

    /** Neither retired nor disabled by an administrator. */
    boolean inService() {
        return !retired && !adminDisabled;
    }

    void describe(KeySource source, String label) {
        this.source = source;
        this.label = label == null ? "" : label;
    }

    void retire() {
        retired = true;
    }

    /** @return whether this call changed it */
    boolean adminDisable(boolean disabled) {
        boolean before = adminDisabled;
        adminDisabled = disabled;
        return before != disabled;
    }
}
