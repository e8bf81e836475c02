package dev.keyfailover.servlet;

import java.io.IOException;

import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;

/** One admin action under way: it ends in exactly one answer and one audit line (who, what, which key, result). */
final class AdminAction {

    private final Logger audit;
    private final String what;
    private final String who;
    private final HttpServletResponse response;

    AdminAction(Logger audit, String what, String who, HttpServletResponse response) {
        this.audit = audit;
        this.what = what;
        this.who = who;
        this.response = response;
    }

    void refuse(int status, String message) throws IOException {
        audit.info("{} by {}: refused ({}, {})", what, who, status, message);
        AdminAnswers.problem(response, status, message);
    }

    /** @param keys the keys concerned, as hints and fingerprints */
    void done(String keys, String result, JsonObject answer) throws IOException {
        audit.info("{} ({}) by {}: {}", what, keys, who, result);
        AdminAnswers.json(response, 200, answer);
    }
}
