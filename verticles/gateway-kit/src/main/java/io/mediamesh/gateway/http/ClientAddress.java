package io.mediamesh.gateway.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.util.List;

/**
 * The client's IP for rate limits: the peer address, unless the peer is a configured trusted proxy, in which case
 * {@code X-Forwarded-For} is walked from the right, skipping trusted proxies, and the first untrusted address wins
 * (so a client cannot choose its own key by sending a forged header through a proxy that appends).
 */
public final class ClientAddress {

  private final List<String> trustedProxies;

  public ClientAddress(List<String> trustedProxies) {
    this.trustedProxies = List.copyOf(trustedProxies);
  }

  public String of(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    String peer = remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    if (trustedProxies.isEmpty() || !trusted(peer)) {
      return peer;
    }
    String forwarded = request.getHeader("X-Forwarded-For");
    if (forwarded == null || forwarded.isBlank()) {
      return peer;
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (hop.isEmpty() || hop.length() > 45 || !hop.matches("[0-9A-Fa-f:.]+")) {
        return peer; // a malformed chain is not believed at all
      }
      if (!trusted(hop)) {
        return hop;
      }
    }
    return peer;
  }

  /**
   * The key a per-address limit counts under: an IPv4 address as it is, an IPv6 address by its /64 (one subscriber
   * usually holds a whole /64, so keying full addresses would give each client 2^64 quotas).
   */
  public static String limitKey(String address) {
    if (address.indexOf(':') < 0) {
      return address;
    }
    try {
      java.net.InetAddress parsed = java.net.InetAddress.getByName(address);
      byte[] raw = parsed.getAddress();
      if (raw.length != 16) {
        return parsed.getHostAddress(); // an IPv4-mapped address counts as its IPv4 address
      }
      StringBuilder b = new StringBuilder(24);
      for (int i = 0; i < 8; i += 2) {
        b.append(Integer.toHexString(((raw[i] & 0xff) << 8) | (raw[i + 1] & 0xff))).append(':');
      }
      return b.append(":/64").toString();
    } catch (java.net.UnknownHostException e) {
      return address; // only literals reach here (checked above or taken from the socket): not resolved
    }
  }

  private boolean trusted(String address) {
    for (String t : trustedProxies) {
      if (t.endsWith("*") ? address.startsWith(t.substring(0, t.length() - 1)) : address.equals(t)) {
        return true;
      }
    }
    return false;
  }
}
