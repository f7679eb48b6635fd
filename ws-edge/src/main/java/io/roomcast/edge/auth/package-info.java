/**
 * Authentication and authorization of edge connections (docs/auth.md).
 *
 * <ul>
 *   <li>{@link io.roomcast.edge.auth.AuthConfig}: the settings; {@code ofDefaults()} is an open edge.</li>
 *   <li>{@link io.roomcast.edge.auth.OriginPolicy}: the Origin allow-list, checked at the handshake.</li>
 *   <li>{@link io.roomcast.edge.auth.TokenSource}: the token from {@code ?token=}.</li>
 *   <li>{@link io.roomcast.edge.auth.Authenticator}: token to {@link io.roomcast.edge.auth.Principal}, or an
 *       {@link io.roomcast.edge.auth.AuthException} with a reason (may block with JWKS: call it on a worker).</li>
 *   <li>{@link io.roomcast.edge.auth.Access}: subscribe and publish decisions per room, refresh and expiry rules.</li>
 * </ul>
 */
package io.roomcast.edge.auth;
