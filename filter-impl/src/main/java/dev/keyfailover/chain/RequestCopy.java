package dev.keyfailover.chain;

import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;

/**
 * A request's copy for one attempt, as {@code ClassicRequestBuilder.copy(request).build()} makes it
 * (same method, scheme, authority, path, version, headers and entity instance, a new header list),
 * without the builder (issue 22: one request's hot path, once per attempt; the builder copies the
 * header list twice).
 */
final class RequestCopy {

    private RequestCopy() {
    }

    static ClassicHttpRequest of(ClassicHttpRequest request) {
        String method = request.getMethod();
        if (request.getEntity() != null && Method.TRACE.isSame(method)) {
            throw new IllegalStateException(Method.TRACE + " requests may not include an entity");
        }
        String path = request.getPath();
        BasicClassicHttpRequest copy = new BasicClassicHttpRequest(method, request.getScheme(), request.getAuthority(),
                path == null || path.isEmpty() ? "/" : path);
        copy.setVersion(request.getVersion());
        copy.setHeaders(request.getHeaders());
        copy.setEntity(request.getEntity());
        return copy;
    }
}
