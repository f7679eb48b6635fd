package io.roomcast.edge.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressTest {
    private static final TrustedProxies PROXIES = TrustedProxies.parse(List.of("10.0.0.0/8", "fd00::/8", "192.168.1.7"));

    private static String resolve(String peer, String forwarded, String xff) throws Exception {
        return ClientAddress.resolve(InetAddress.getByName(peer), forwarded, xff, PROXIES).limitKey();
    }

    @ParameterizedTest(name = "peer {0}, Forwarded [{1}], X-Forwarded-For [{2}] -> {3}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            // an untrusted peer is the client, whatever it claims
            "203.0.113.9 | NULL                          | 198.51.100.1           | 203.0.113.9",
            "203.0.113.9 | for=198.51.100.1              | NULL                   | 203.0.113.9",
            // a trusted proxy: the right-most hop that is not a trusted proxy
            "10.1.2.3    | NULL                          | 198.51.100.1           | 198.51.100.1",
            "10.1.2.3    | NULL                          | 6.6.6.6, 198.51.100.1  | 198.51.100.1",
            "10.1.2.3    | NULL                          | 198.51.100.1, 10.9.9.9 | 198.51.100.1",
            "192.168.1.7 | NULL                          | 198.51.100.1           | 198.51.100.1",
            "192.168.1.8 | NULL                          | 198.51.100.1           | 192.168.1.8",
            // Forwarded wins over X-Forwarded-For; quoted, bracketed and with ports
            "10.1.2.3    | for=198.51.100.2              | 198.51.100.1           | 198.51.100.2",
            "10.1.2.3    | for=\"198.51.100.2:4711\";proto=https | NULL          | 198.51.100.2",
            "10.1.2.3    | for=6.6.6.6, For=\"[2001:db8:1:2::77]:80\" | NULL     | 2001:db8:1:2:0:0:0:0/64",
            // no usable hop: the proxy itself
            "10.1.2.3    | NULL                          | NULL                   | 10.1.2.3",
            "10.1.2.3    | for=unknown                   | NULL                   | 10.1.2.3",
            "10.1.2.3    | NULL                          | evil.example.com       | 10.1.2.3",
            "10.1.2.3    | NULL                          | 198.51.100.1, garbage  | 10.1.2.3",
            "10.1.2.3    | NULL                          | ''                     | 10.1.2.3",
            "10.1.2.3    | NULL                          | 999.1.1.1              | 10.1.2.3",
            "10.1.2.3    | by=10.0.0.1                   | NULL                   | 10.1.2.3",
            // every hop trusted: the left-most
            "10.1.2.3    | NULL                          | 10.0.0.5, 10.0.0.6     | 10.0.0.5",
            // IPv6 clients are grouped by /64
            "2001:db8:1:2::a | NULL                      | NULL                   | 2001:db8:1:2:0:0:0:0/64",
            "2001:db8:1:2:ffff:1:2:3 | NULL              | NULL                   | 2001:db8:1:2:0:0:0:0/64",
            "2001:db8:1:3::a | NULL                      | NULL                   | 2001:db8:1:3:0:0:0:0/64",
            "fd00::1     | NULL                          | 2001:db8:5:6::1        | 2001:db8:5:6:0:0:0:0/64",
            "::ffff:10.1.2.3 | NULL                      | 198.51.100.1           | 198.51.100.1",
    })
    void shouldBelieveForwardingHeadersOnlyFromTrustedProxies(String peer, String forwarded, String xff, String key) throws Exception {
        assertThat(resolve(peer, forwarded, xff)).isEqualTo(key);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"10.0.0.0/8|10.255.1.1|true", "10.0.0.0/8|11.0.0.1|false", "10.1.2.3/8|10.9.9.9|true",
            "0.0.0.0/0|8.8.8.8|true", "0.0.0.0/0|::1|false", "fd00::/8|fd12::1|true", "fd00::/8|fe80::1|false",
            "192.168.1.7|192.168.1.7|true", "192.168.1.7|192.168.1.6|false", "172.16.0.0/12|172.31.255.255|true",
            "172.16.0.0/12|172.32.0.0|false"})
    void shouldMatchAddressBlocks(String block, String address, boolean contained) throws Exception {
        assertThat(Cidr.parse(block).contains(InetAddress.getByName(address))).isEqualTo(contained);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"10.0.0.0/33", "10.0.0.0/x", "example.com", "10.0.0/8", "::1/129", "/8", "10.0.0.0/-1"})
    void shouldRefuseInvalidBlocksNamingThem(String block) {
        assertThatThrownBy(() -> TrustedProxies.parse(List.of(block))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(block);
    }
}
