package dev.keyfailover.config;

import java.util.List;

import dev.keyfailover.settings.ClientToken;

/**
 * Reads a changed {@code clientTokensFile} (behaviour.md §13) by the rules of the route's start: a
 * file that does not parse, or holds no token, is refused whole, the error naming the line, never a
 * token.
 */
public final class ClientTokensFile {

    private ClientTokensFile() {
    }

    /**
     * @param where the route, e.g. {@code servlet 'openai'}, named in the error
     * @throws ConfigException naming the parameter and the line
     */
    public static List<ClientToken> parse(String where, String text) throws ConfigException {
        return ClientTokenList.parse((parameter, problem) -> new ConfigException(where + ": parameter '" + parameter
                + "' " + problem), "clientTokensFile", text.split("\\r?\\n", -1), true);
    }
}
