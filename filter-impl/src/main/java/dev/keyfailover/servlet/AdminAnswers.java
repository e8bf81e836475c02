package dev.keyfailover.servlet;

import java.io.IOException;

import dev.keyfailover.chain.Jsons;
import dev.keyfailover.pool.KeyFingerprint;
import dev.keyfailover.pool.KeyHint;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletResponse;

/** The admin API's JSON answers. */
final class AdminAnswers {

    private AdminAnswers() {
    }

    static void json(HttpServletResponse response, int status, JsonObject body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(body.toString());
    }

    static void problem(HttpServletResponse response, int status, String message) throws IOException {
        json(response, status, Jsons.objectBuilder().add("error", Jsons.objectBuilder().add("message", message)).build());
    }

    /**
     * A key's address as the audit line and the answer name it: a fingerprint as it is; anything else
     * masked as a key's hint, since an administrator may paste the key itself where its fingerprint belongs.
     */
    static String keyReference(String segment) {
        return segment.isEmpty() || isFingerprint(segment) ? segment : KeyHint.of(segment).replaceAll("[^A-Za-z0-9._…-]", "?");
    }

    static boolean isFingerprint(String text) {
        return text.matches("[0-9a-f]{" + KeyFingerprint.LENGTH + "}");
    }

    /** A name as echoed back: plain characters only, at most 64, so no input is reflected as it came. */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        String plain = text.replaceAll("[^A-Za-z0-9._-]", "?");
        return plain.length() > 64 ? plain.substring(0, 64) + "…" : plain;
    }
}
