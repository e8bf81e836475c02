package dev.keyfailover.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.keyfailover.settings.ClientToken;

/**
 * A route's client tokens (behaviour.md §13), from {@code clientTokens} (entries separated by commas
 * or line ends) or {@code clientTokensFile} (one a line, {@code #} comments; watched by
 * {@code servlet.RouteTokens}, which reads each change through {@link ClientTokensFile}). An entry is {@code name:token} or
 * {@code name:sha256:<64 hex>}, optionally followed by {@code :route1|route2}. Errors name the
 * parameter and the entry's name (or line), never a token.
 */
final class ClientTokenList {

    private static final String NAME = "[A-Za-z0-9._-]{1,64}";

    private ClientTokenList() {
    }

    static List<ClientToken> read(ParameterReader reader) throws ConfigException {
        Optional<InlineOrFile> given = InlineOrFile.read(reader, "clientTokens", "clientTokensFile");
        if (given.isEmpty()) {
            return List.of();
        }
        boolean file = given.get().fromFile();
        return parse(reader::error, given.get().parameter(),
                given.get().text().split(file ? "\\r?\\n" : "\\r?\\n|,", -1), file);
    }

    /** Makes the error of a parameter: names the route and the parameter, never a token. */
    interface Errors {
        ConfigException error(String parameter, String problem);
    }

    static List<ClientToken> parse(Errors reader, String parameter, String[] lines, boolean file)
            throws ConfigException {
        List<ClientToken> tokens = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < lines.length; i++) {
            String entry = lines[i].strip();
            if (entry.isEmpty() || file && entry.startsWith("#")) {
                continue;
            }
            String where = file ? "line " + (i + 1) : "entry " + (tokens.size() + 1);
            ClientToken token = entry(reader, parameter, where, entry);
            if (!names.add(token.name())) {
                throw reader.error(parameter, "names client '" + token.name() + "' twice");
            }
            for (ClientToken other : tokens) {
                if (other.matches(token.digest())) {
                    throw reader.error(parameter, "gives clients '" + other.name() + "' and '" + token.name()
                            + "' the same token");
                }
            }
            tokens.add(token);
        }
        if (file && tokens.isEmpty()) {
            // A route that reads its tokens from a file asks for one: an empty file must not open it.
            throw reader.error(parameter, "holds no client token");
        }
        return List.copyOf(tokens);
    }

    private static ClientToken entry(Errors reader, String parameter, String where, String entry)
            throws ConfigException {
        String[] parts = entry.split(":", -1);
        if (parts.length < 2) {
            // Perhaps the rest of a token cut at a ',': the entry is not echoed.
            throw reader.error(parameter, where + ": expected name:token or name:sha256:<64 hex> (a token must not "
                    + "hold ':', ',' or whitespace)");
        }
        String name = parts[0].strip();
        if (!name.matches(NAME)) {
            throw reader.error(parameter, where + ": a client's name is 1 to 64 letters, digits, '.', '_' or '-', "
                    + "followed by ':token' or ':sha256:<64 hex digits>'");
        }
        if (name.equals("none")) {
            throw reader.error(parameter, where + ": 'none' is the meters' name for requests without a token; "
                    + "choose another client name");
        }
        boolean hashed = parts.length >= 3 && parts[1].equals("sha256") && parts[2].matches("[0-9A-Fa-f]{64}");
        int rest = hashed ? 3 : 2;
        if (parts.length > rest + 1) {
            throw reader.error(parameter, "client '" + name + "': expected name:token or name:sha256:<64 hex>, "
                    + "then optionally :route1|route2 (a token must not hold ':', ',' or whitespace)");
        }
        String secret = hashed ? null : parts[1];
        if (secret != null && (secret.isEmpty() || !secret.equals(secret.strip()) || secret.matches(".*\\s.*"))) {
            throw reader.error(parameter, "client '" + name + "': a token must not be empty nor hold ':', ',' or "
                    + "whitespace");
        }
        Set<String> routes = new LinkedHashSet<>();
        if (parts.length == rest + 1) {
            for (String route : parts[rest].split("\\|", -1)) {
                if (!route.strip().matches(NAME)) {
                    throw reader.error(parameter, "client '" + name + "': routes are route names separated by '|' "
                            + "(a token must not hold ':', ',' or whitespace)");
                }
                routes.add(route.strip());
            }
        }
        byte[] digest = hashed ? HexFormat.of().parseHex(parts[2]) : ClientToken.sha256(secret);
        ClientToken token = new ClientToken(name, digest, routes);
        Arrays.fill(parts, null);
        return token;
    }
}
