package dev.keyfailover.chain;

/**
 * The tokens one answer says it used (behaviour.md §16), in one shape for every provider.
 *
 * @param input the prompt's tokens in all, those read from a cache included
 * @param output the tokens generated (reasoning or thinking tokens included)
 * @param cachedInput the part of {@code input} read from the provider's prompt cache
 */
public record Usage(long input, long output, long cachedInput) {

    /** An answer that said nothing of its usage, or said it in a shape not understood. */
    public static final Usage NONE = new Usage(0, 0, 0);

    /** Whether the answer said anything. */
    public boolean present() {
        return input > 0 || output > 0;
    }

    /** Input and output. */
    public long total() {
        return input + output;
    }
}
