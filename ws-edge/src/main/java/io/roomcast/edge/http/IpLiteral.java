package io.roomcast.edge.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** IP address literals in and out, never touching DNS (header values come from strangers). Stateless. */
final class IpLiteral {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    // Hex groups and colons, optionally ending in a dotted IPv4 part; InetAddress checks the rest.
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]{2,39}(\\d{1,3}(\\.\\d{1,3}){3})?");

    private IpLiteral() {
    }

    /** The address of an IPv4 or IPv6 literal (no brackets, no port, no zone), or empty for anything else. */
    static Optional<InetAddress> parse(String text) {
        if (text == null || text.length() > 45) {
            return Optional.empty();
        }
        boolean v4 = IPV4.matcher(text).matches();
        if (!v4 && !(text.indexOf(':') >= 0 && IPV6.matcher(text).matches())) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text)); // a literal: no lookup
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    static String format(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + address.length + " bytes");
        }
    }
}
