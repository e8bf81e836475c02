/**
 * The service-provider interface of keyfailover.
 *
 * <p>A {@link dev.keyfailover.api.Provider} tells the failover engine what it needs to know of one
 * upstream API: how a key is put on a request, when a request already carries the user's own key
 * (BYOK), how an upstream answer reflects on the key, and how errors look in that API's format.
 * A {@link dev.keyfailover.api.ProviderFactory} builds providers from configuration and is found
 * through {@link java.util.ServiceLoader}.
 */
package dev.keyfailover.api;
