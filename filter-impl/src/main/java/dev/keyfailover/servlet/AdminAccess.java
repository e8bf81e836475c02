package dev.keyfailover.servlet;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

import dev.keyfailover.chain.Jsons;
import dev.keyfailover.config.AdminConfig;
import dev.keyfailover.config.ConfigException;
import dev.keyfailover.config.ParameterSource;
import dev.keyfailover.config.Placeholders;
import dev.keyfailover.settings.AdminSettings;
import dev.keyfailover.settings.ClientToken;
import jakarta.servlet.GenericServlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may read the status surface and who may act on it (behaviour.md §13): the admin token
 * ({@code Authorization: Bearer}, compared in constant time) or the container role
 * {@value #ADMIN_ROLE} may do both; the role {@value #VIEWER_ROLE}, or anyone under
 * {@code statusAccess=public}, may read. No credential: 401 with {@code WWW-Authenticate: Bearer};
 * a wrong one, or a viewer asking for an action: 403. Actions come as POST or DELETE with an empty
 * or JSON body, never from a form (CSRF). Refusals of actions are audited by the caller.
 */
public final class AdminAccess {

    public static final String ADMIN_ROLE = "keyfailover-admin";
    public static final String VIEWER_ROLE = "keyfailover-viewer";
    private static final Logger LOG = LoggerFactory.getLogger(AdminAccess.class);

    private final AdminSettings settings;

    private AdminAccess(AdminSettings settings) {
        this.settings = settings;
    }

    /** The access of a servlet: its init-params, else the context's {@code keyfailover.*}. */
    public static AdminAccess of(GenericServlet servlet) throws ServletException {
        String where = "servlet '" + servlet.getServletName() + "'";
        try {
            AdminSettings settings = AdminConfig.parse(where, new ParameterSource(servlet::getInitParameter,
                    servlet.getInitParameterNames(), servlet.getServletContext()::getInitParameter,
                    servlet.getServletContext().getInitParameterNames(), ParameterSource.origins(
                            servlet.getServletContext().getAttribute(ParameterSource.ORIGINS_ATTRIBUTE))),
                    Placeholders.system());
            if (settings.actionsOpen()) {
                LOG.warn("{}: adminAccess=open: anyone who reaches it may add, remove, disable and reset keys (a demo setting)", where);
            }
            return new AdminAccess(settings);
        } catch (ConfigException e) {
            LOG.error("keyfailover configuration error: {}", e.getMessage());
            throw new ServletException(e.getMessage());
        }
    }

    /** Whether the request may read; when not, the 401 or 403 is written. */
    public boolean mayRead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        return switch (readAccess(request)) {
            case ALLOWED -> true;
            case NO_CREDENTIAL -> refuse(response, 401, settings.tokenDigest().isEmpty()
                    // No token could be sent: say what would open the status instead.
                    ? "no admin token is configured: set adminToken (at least " + AdminSettings.MIN_TOKEN_LENGTH
                            + " characters; the example reads KEYFAILOVER_ADMIN_TOKEN) and send it as Authorization: "
                            + "Bearer, set statusAccess=public, or log in with the role " + VIEWER_ROLE + " or "
                            + ADMIN_ROLE
                    : "send the admin token as Authorization: Bearer, or log in with the role " + VIEWER_ROLE + " or "
                            + ADMIN_ROLE);
            case FORBIDDEN -> refuse(response, 403, request.getRemoteUser() != null && bearer(request) == Bearer.NONE
                    ? "user '" + request.getRemoteUser() + "' has no role that may read the status"
                    : "this token may not read the status");
        };
    }

    /** Whether a request may read the status: allowed, refused for want of a credential (401), or forbidden (403). */
    enum ReadAccess {
        ALLOWED, NO_CREDENTIAL, FORBIDDEN
    }

    ReadAccess readAccess(HttpServletRequest request) {
        if (settings.statusPublic() || request.isUserInRole(ADMIN_ROLE) || request.isUserInRole(VIEWER_ROLE)) {
            return ReadAccess.ALLOWED;
        }
        return switch (bearer(request)) {
            case RIGHT -> ReadAccess.ALLOWED;
            case NONE -> request.getRemoteUser() != null ? ReadAccess.FORBIDDEN : ReadAccess.NO_CREDENTIAL;
            case WRONG -> ReadAccess.FORBIDDEN;
        };
    }

    /**
     * Whether the request's credential may act (open actions, the admin role or the admin token),
     * without answering anything: the status page offers its actions only then.
     */
    boolean mayActWith(HttpServletRequest request) {
        return settings.actionsOpen() || request.isUserInRole(ADMIN_ROLE) || bearer(request) == Bearer.RIGHT;
    }

    /**
     * Who may act, for the audit line (token, principal or address); empty when refused, the
     * refusal (401, 403, 405, 415) written.
     */
    public Optional<String> mayAct(HttpServletRequest request, HttpServletResponse response) throws IOException {
        return mayAct(request, response, false);
    }

    /**
     * As {@link #mayAct(HttpServletRequest, HttpServletResponse)}; with {@code textAllowed}, a
     * {@code text/plain} body is taken too, but only beside an {@code Authorization: Bearer} header,
     * which no cross-site form can send (a form may post text/plain with the browser's login).
     */
    public Optional<String> mayAct(HttpServletRequest request, HttpServletResponse response, boolean textAllowed)
            throws IOException {
        String method = request.getMethod();
        if (!method.equals("POST") && !method.equals("DELETE")) {
            refuse(response, 405, "admin actions are POST or DELETE");
            return Optional.empty();
        }
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        boolean text = textAllowed && type.startsWith("text/plain") && bearer(request) != Bearer.NONE;
        if (!type.isEmpty() && !type.startsWith("application/json") && !text) {
            refuse(response, 415, "an admin action's body is empty or application/json"
                    + (textAllowed ? " (text/plain with the admin token as Authorization: Bearer)" : ""));
            return Optional.empty();
        }
        String address = " from " + request.getRemoteAddr();
        if (settings.actionsOpen()) {
            return Optional.of("anyone (adminAccess=open)" + address);
        }
        if (request.isUserInRole(ADMIN_ROLE)) {
            return Optional.of("user '" + request.getRemoteUser() + "'" + address);
        }
        Bearer bearer = bearer(request);
        if (bearer == Bearer.RIGHT) {
            return Optional.of("admin token" + address);
        }
        if (settings.tokenDigest().isEmpty()) {
            refuse(response, 403, "no admin credential is configured: set adminToken (at least "
                    + AdminSettings.MIN_TOKEN_LENGTH + " characters; the example reads KEYFAILOVER_ADMIN_TOKEN) or "
                    + "give administrators the container role " + ADMIN_ROLE);
        } else if (bearer == Bearer.NONE && request.getRemoteUser() == null) {
            refuse(response, 401, "send the admin token as Authorization: Bearer, or log in with the role "
                    + ADMIN_ROLE);
        } else {
            refuse(response, 403, "this credential may not act; actions need the admin token or the role "
                    + ADMIN_ROLE);
        }
        return Optional.empty();
    }

    private enum Bearer { NONE, RIGHT, WRONG }

    private Bearer bearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Bearer.NONE;
        }
        byte[] sent = ClientToken.sha256(header.substring(7).trim());
        return settings.tokenDigest().map(token -> java.security.MessageDigest.isEqual(token, sent)).orElse(false)
                ? Bearer.RIGHT : Bearer.WRONG;
    }

    private static boolean refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"keyfailover\"");
        }
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(Jsons.objectBuilder()
                .add("error", Jsons.objectBuilder().add("message", message)).build().toString());
        return false;
    }
}
