package dev.keyfailover.bench;

import org.eclipse.jetty.ee10.proxy.ProxyServlet;

/**
 * Jetty's ProxyServlet aggregates response writes (its 32 KiB output buffer), which holds back
 * event streams; its maintainers' advice (jetty/jetty.project#3459) is to flush in
 * {@code onResponseContent}. This is that advice, nothing more. Candidate kind {@code jetty-flush}; public because
 * Jetty instantiates it by reflection.
 */
public final class FlushingJettyProxy extends ProxyServlet.Transparent {
    private static final long serialVersionUID = 1L;

    @Override
    protected void onResponseContent(jakarta.servlet.http.HttpServletRequest request,
                                     jakarta.servlet.http.HttpServletResponse response,
                                     org.eclipse.jetty.client.Response proxyResponse, byte[] buffer, int offset,
                                     int length, org.eclipse.jetty.util.Callback callback) {
        try {
            jakarta.servlet.ServletOutputStream out = response.getOutputStream();
            out.write(buffer, offset, length);
            out.flush();
            callback.succeeded();
        } catch (Throwable x) {
            callback.failed(x);
        }
    }
}
