package dev.keyfailover.servlet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import dev.keyfailover.settings.AddressRange;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The client's address, for the failed-credential limit and the log (behaviour.md §13): the
 * connection's, or, when the connection comes from one of {@code trustedProxies}, the first address
 * of {@code X-Forwarded-For} that is not a trusted proxy, read from the right (each proxy appends the
 * address it saw, so only the right end is not the client's to write).
 */
final class ClientAddresses {

    private static final int MAX_LENGTH = 64;

    private final List<AddressRange> trusted;

    ClientAddresses(List<AddressRange> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    String of(HttpServletRequest request) {
        String remote = request.getRemoteAddr();
        if (trusted.isEmpty() || !isTrusted(remote)) {
            return remote;
        }
        List<String> forwarded = new ArrayList<>();
        Enumeration<String> headers = request.getHeaders("X-Forwarded-For");
        for (String header : headers == null ? List.<String>of() : Collections.list(headers)) {
            for (String part : header.split(",")) {
                if (!part.isBlank()) {
                    forwarded.add(part.strip());
                }
            }
        }
        for (int i = forwarded.size() - 1; i >= 0; i--) {
            if (!isTrusted(forwarded.get(i))) {
                return printable(forwarded.get(i));
            }
        }
        return forwarded.isEmpty() ? remote : printable(forwarded.get(0));
    }

    private boolean isTrusted(String address) {
        byte[] literal = AddressRange.literal(address);
        return literal != null && trusted.stream().anyMatch(range -> range.contains(literal));
    }

    /** As written in a log line and kept as a map key: plain characters, bounded. */
    private static String printable(String address) {
        String plain = address.replaceAll("[^0-9A-Za-z.:\\[\\]_-]", "?");
        return plain.length() > MAX_LENGTH ? plain.substring(0, MAX_LENGTH) : plain;
    }
}
