package dev.keyfailover.servlet;

import java.io.IOException;

import dev.keyfailover.chain.Jsons;
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

    /** A name as echoed back: plain characters only, at most 64, so no input is reflected as it came. */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        String plain = text.replaceAll("[^A-Za-z0-9._-]", "?");
        return plain.length() > 64 ? plain.substring(0, 64) + "…" : plain;
    }
}
