package dev.keyfailover.chain;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.core5.http.ClassicHttpRequest;

/** Passing a changed request down the chain. */
final class Scopes {

    private Scopes() {
    }

    /**
     * The scope with {@code request} as its original: inner elements (protocol, retries) rebuild
     * from the scope's original, so a copy we changed must be it, or they would undo the change.
     */
    static ExecChain.Scope of(ExecChain.Scope scope, ClassicHttpRequest request) {
        return new ExecChain.Scope(scope.exchangeId, scope.route, request, scope.execRuntime, scope.clientContext);
    }
}
