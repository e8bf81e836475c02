package dev.keyfailover.pool;

import java.time.Instant;

import dev.keyfailover.api.Provider;
import dev.keyfailover.api.RateLimits;
import org.apache.hc.core5.http.HttpRequest;

/**
 * One API key of a pool with its states (the key's own and per model), kept in a
 * {@link KeyStateStore}: what it is (index, hint), whether it is usable, its cooldowns (the key's
 * and per model) and what the provider said of its limits (what it keeps per model, bounded, in
 * {@link KeyModels}). Taking it out of service and bringing it
 * back by a re-check is {@link KeyRecheck}'s concern. Every state change is one compare-and-set of
 * an immutable {@link KeyStatus}, so that among concurrent marks exactly one reports the transition.
 *
 * <p>{@link #toString()} shows the masked hint only; the secret leaves the pool package only
 * through {@link #putOn}, which hands it to the provider to put on an outgoing request.
 */
public final class Key {

    /** The scope of what is known for the key as a whole, or for requests without a model. */
    public static final String ANY_MODEL = "*";

    /**
     * The most models a key keeps state for: model names come from clients, so they are bounded.
     * Past it, a model's mark cools the whole key (after ended cooldowns are let go).
     */
    static final int MAX_MODELS = 64;

    private final int index;
    private final String secret;
    private final String hint;
    private final String fingerprint;
    private final KeyMembership membership = new KeyMembership();
    private final KeyId id;
    private final KeyStates states;
    private final KeyModels models;
    private final KeyCounters counters = new KeyCounters();
    private final KeyRecheck recheck;

    Key(int index, String secret, String providerName, KeyStateStore store) {
        this.index = index;
        this.secret = secret;
        this.hint = KeyHint.of(secret);
        this.fingerprint = KeyFingerprint.of(secret);
        this.id = new KeyId(index, hint, fingerprint);
        this.states = store.statesOf(providerName, this);
        this.models = new KeyModels(states);
        this.recheck = new KeyRecheck(states, ANY_MODEL);
    }

    /**
     * The key's number in its pool, from 0: its position in the list it was first configured in,
     * and for a key added later the next number never used by the pool, so that it stays the key's
     * own when the list changes (behaviour.md §14). Its position now is the pool's to say.
     */
    public int index() {
        return index;
    }

    /** The first 16 hex digits of the key's SHA-256: shown, and used to address the key (behaviour.md §14). */
    public String fingerprint() {
        return fingerprint;
    }

    /** Its place in the pool (behaviour.md §14): source, label, retired, disabled by an administrator. */
    public KeyMembership membership() {
        return membership;
    }

    /** The masked hint, safe to show anywhere. */
    public String hint() {
        return hint;
    }

    /** The key's index and hint, as listeners and reports see it. */
    public KeyId id() {
        return id;
    }

    /** Puts the key on an outgoing request, through the provider: the one way the secret leaves the pool. */
    public void putOn(HttpRequest request, Provider provider) {
        provider.applyKey(request, secret);
    }

    /** The secret itself: for a store's fingerprint of it. */
    String secret() {
        return secret;
    }

    /** The state of the key as a whole at {@code now}. */
    public KeyState state(Instant now) {
        return status().effectiveState(now);
    }

    /** Counters of this key's attempts. */
    public KeyCounters counters() {
        return counters;
    }

    /** What the key keeps per model: its states' scopes and the provider's word on its limits. */
    KeyModels models() {
        return models;
    }

    KeyStatus status() {
        return states.get(ANY_MODEL);
    }

    /** Whether ordinary traffic may use the key at {@code now}: in the pool, not set aside by an administrator, VALID. */
    boolean isUsable(Instant now) {
        return membership.inService() && state(now) == KeyState.VALID;
    }

    /** Whether ordinary traffic for this model ({@code null}: unknown) may use the key at {@code now}. */
    boolean isUsable(Instant now, String model) {
        return isUsable(now) && (model == null || states.get(model).effectiveState(now) == KeyState.VALID);
    }

    /**
     * When a cooldown that blocks this model ends: the key's own or the model's, whichever is
     * later; {@code null} when neither cools now (or the key is out of service altogether).
     */
    Instant coolingEnds(String model, Instant now) {
        KeyStatus current = status();
        if (current.isSuspended()) {
            return null;
        }
        Instant wide = current.effectiveState(now) == KeyState.COOLING ? current.until() : null;
        KeyStatus forModel = model == null ? KeyStatus.VALID : states.get(model);
        Instant own = forModel.effectiveState(now) == KeyState.COOLING ? forModel.until() : null;
        if (wide == null) {
            return own;
        }
        return own == null || wide.isAfter(own) ? wide : own;
    }

    /**
     * Cools the key for one model until {@code until}; a later deadline is kept.
     *
     * @return whether this call made the model unusable on a key that was usable for it
     */
    boolean coolModelUntil(String model, Instant until, Instant now) {
        if (!models.hasRoomFor(model, now)) {
            return coolUntil(until, now);
        }
        // A model set aside for its empty quota stays so: only its re-check brings it back.
        KeyStates.Transition change = states.update(model,
                current -> current.isSuspended() ? current : cooler(current, until, now));
        return change.before().effectiveState(now) == KeyState.VALID && change.changed() && isUsable(now);
    }

    /** The provider's last word on this key's limits for a model, or {@code null} (for the walk's order). */
    RateLimits limits(String model) {
        return models.limits(model);
    }

    /**
     * Cools the key down until {@code until}. An existing later deadline is kept; a DISABLED or
     * EXHAUSTED key stays so.
     *
     * @return whether this call moved the key from VALID to COOLING
     */
    boolean coolUntil(Instant until, Instant now) {
        KeyStates.Transition change = states.update(ANY_MODEL,
                current -> current.isSuspended() ? current : cooler(current, until, now));
        return change.before().effectiveState(now) == KeyState.VALID && change.after().state() == KeyState.COOLING
                && change.changed();
    }

    /** Cools the key for every model until its spent budget's reset (§16): whether this call set that deadline. */
    boolean coolAllUntil(Instant until, Instant now) {
        KeyStates.Transition change = states.update(ANY_MODEL,
                current -> current.isSuspended() ? current : cooler(current, until, now));
        return change.changed() && until.equals(change.after().until());
    }

    /** COOLING until {@code until}, unless it already cools until then or later: a mark never shortens a cooldown. */
    private static KeyStatus cooler(KeyStatus current, Instant until, Instant now) {
        if (current.effectiveState(now) == KeyState.COOLING && !current.until().isBefore(until)) {
            return current;
        }
        return KeyStatus.cooling(until);
    }

    /** The key's re-checks while it is out of service (behaviour.md §1). */
    KeyRecheck recheck() {
        return recheck;
    }

    /**
     * The re-checks of one scope: the key's own for {@link #ANY_MODEL} or an unknown model, else the
     * model's, while the key has room for it ({@link #MAX_MODELS}; past it, the whole key's).
     */
    KeyRecheck recheck(String model, Instant now) {
        if (model == null || model.equals(ANY_MODEL) || !models.hasRoomFor(model, now)) {
            return recheck;
        }
        return new KeyRecheck(states, model);
    }

    /** Whether the key is EXHAUSTED as a whole or for this model ({@code null}: unknown). */
    boolean isExhausted(String model) {
        return status().state() == KeyState.EXHAUSTED
                || model != null && states.get(model).state() == KeyState.EXHAUSTED;
    }

    /** Back to VALID whatever the state, per-model cooldowns too: an administrator's reset. */
    boolean reset(Instant now) {
        boolean changed = false;
        for (String model : states.models().keySet()) {
            KeyStates.Transition change = states.update(model, current -> KeyStatus.VALID);
            changed |= change.before().effectiveState(now) != KeyState.VALID;
        }
        KeyStates.Transition change = states.update(ANY_MODEL, current -> KeyStatus.VALID);
        return change.before().effectiveState(now) != KeyState.VALID || changed;
    }

    @Override
    public String toString() {
        return "Key[" + index + " " + hint + " " + status().state() + "]";
    }
}
