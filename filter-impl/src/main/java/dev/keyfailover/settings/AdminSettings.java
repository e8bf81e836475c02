package dev.keyfailover.settings;

import java.util.Optional;

/**
 * Who may read the status surface and who may act on it (behaviour.md §13).
 *
 * @param tokenDigest the SHA-256 of {@code adminToken}; empty when none is configured
 * @param statusPublic {@code statusAccess=public}: anyone may read the status page, its JSON and the metrics
 * @param actionsOpen {@code adminAccess=open}: anyone may act (the example's demo mode only)
 */
public record AdminSettings(Optional<byte[]> tokenDigest, boolean statusPublic, boolean actionsOpen) {

    /** The shortest accepted {@code adminToken}. */
    public static final int MIN_TOKEN_LENGTH = 32;

    @Override
    public String toString() {
        return "AdminSettings[adminToken " + (tokenDigest.isPresent() ? "set" : "unset") + ", status "
                + (statusPublic ? "public" : "protected") + ", actions " + (actionsOpen ? "open" : "protected") + "]";
    }
}
