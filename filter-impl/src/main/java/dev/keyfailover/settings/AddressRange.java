package dev.keyfailover.settings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IP address or a CIDR block such as {@code 10.0.0.0/8} or {@code fd00::/8}, for
 * {@code trustedProxies} (behaviour.md §13). Only literals are parsed: never a name lookup.
 */
public final class AddressRange {

    private final byte[] network;
    private final int prefix;
    private final String text;

    private AddressRange(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /** @throws IllegalArgumentException when the text is no IP literal or CIDR block */
    public static AddressRange parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        byte[] address = literal(slash < 0 ? trimmed : trimmed.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("'" + trimmed + "' is not an IP address or CIDR block");
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + trimmed + "' has a prefix length outside 0 to " + bits);
            }
        }
        return new AddressRange(address, prefix, trimmed);
    }

    /** The bytes of an IPv4 or IPv6 literal; {@code null} for anything else (host names included). */
    public static byte[] literal(String text) {
        String candidate = text.trim();
        if (candidate.startsWith("[") && candidate.endsWith("]")) {
            candidate = candidate.substring(1, candidate.length() - 1);
        }
        boolean v4 = candidate.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = candidate.contains(":") && candidate.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(candidate).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    /** Whether the address (as {@link #literal} gives it) lies in this range. */
    public boolean contains(byte[] address) {
        if (address == null || address.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        if (!Arrays.equals(Arrays.copyOf(address, whole), Arrays.copyOf(network, whole))) {
            return false;
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (address[whole] & mask) == (network[whole] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}
