package io.roomcast.edge.http;

import java.net.InetAddress;
import java.util.Optional;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a block of
 * one. Immutable.
 *
 * @param network the block's address bytes (4 or 16), host bits zero
 * @param prefix  the number of leading bits that must match
 */
public record Cidr(byte[] network, int prefix) {

    public Cidr {
        network = network.clone();
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix /" + prefix + " is out of range for a " + network.length * 8 + "-bit address");
        }
        for (int bit = prefix; bit < network.length * 8; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
    }

    /**
     * Parses {@code ADDRESS} or {@code ADDRESS/PREFIX} with an IPv4 or IPv6 literal (never a host name).
     *
     * @throws IllegalArgumentException naming the entry when it is not of that form
     */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        Optional<InetAddress> address = IpLiteral.parse(slash < 0 ? s : s.substring(0, slash));
        if (address.isEmpty()) {
            throw new IllegalArgumentException("\"" + text + "\" is not an address block such as 10.0.0.0/8 or fd00::/8");
        }
        byte[] bytes = address.get().getAddress();
        if (slash < 0) {
            return new Cidr(bytes, bytes.length * 8);
        }
        try {
            return new Cidr(bytes, Integer.parseInt(s.substring(slash + 1)));
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new IllegalArgumentException("\"" + text + "\" has no valid prefix length after / (0.." + bytes.length * 8 + ")");
        }
    }

    /** Whether {@code address} lies in this block (an IPv4 address never lies in an IPv6 block, nor the other way). */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit += 8) {
            int bits = Math.min(8, prefix - bit);
            int mask = (0xff << (8 - bits)) & 0xff;
            if ((a[bit / 8] & mask) != (network[bit / 8] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        return IpLiteral.format(network) + "/" + prefix;
    }
}
