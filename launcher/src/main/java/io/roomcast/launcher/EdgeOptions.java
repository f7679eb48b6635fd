package io.roomcast.launcher;

import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.KafkaClientProperties;
import io.roomcast.topic.TopicPolicyOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;

/** The edge's settings as command-line options, each also readable from an environment variable. */
final class EdgeOptions {
    @Option(names = "--host", defaultValue = "${env:ROOMCAST_HOST:-0.0.0.0}", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--topic-prefix", defaultValue = "${env:ROOMCAST_TOPIC_PREFIX:-}", description = "prefix for every namespace topic")
    String topicPrefix;

    @Mixin
    TopicPolicyOptions topicPolicy;

    @Option(names = "--namespace", paramLabel = "NAME=key:value,...",
            description = "add or change a namespace, repeatable: e.g. chat=partitions:8,retention:P7D,history:1000,policy:lossless "
                    + "or metrics=topic:roomcast.metrics,policy:latest-only (keys: topic, partitions, retention, history, policy)")
    java.util.List<String> namespaceSpecs = new java.util.ArrayList<>();

    @Option(names = "--outbound-limit", defaultValue = "${env:ROOMCAST_OUTBOUND_LIMIT:-100}", description = "frames buffered per connection (default: ${DEFAULT-VALUE})")
    int outboundLimit;

    /** What a publish frame holds besides its data (op, room, type, ids), at most. */
    private static final int FRAME_OVERHEAD_BYTES = 4096;
    private static final int MIN_FRAME_BYTES = 2 * FRAME_OVERHEAD_BYTES;

    @Option(names = "--max-frame-bytes", defaultValue = "${env:ROOMCAST_MAX_FRAME_BYTES:-65536}", description = "largest client frame (default: ${DEFAULT-VALUE})")
    int maxFrameBytes;

    @Option(names = "--max-subscriptions", defaultValue = "${env:ROOMCAST_MAX_SUBSCRIPTIONS:-100}", description = "subscriptions per connection (default: ${DEFAULT-VALUE})")
    int maxSubscriptions;

    @Option(names = "--history-readers", defaultValue = "${env:ROOMCAST_HISTORY_READERS:-2}", description = "Kafka reader threads for replays (default: ${DEFAULT-VALUE})")
    int historyReaders;

    @Option(names = "--history-cache-bytes", defaultValue = "${env:ROOMCAST_HISTORY_CACHE_BYTES:-268435456}", description = "bytes of events all room history caches of the edge may hold (default: ${DEFAULT-VALUE})")
    long historyCacheBytes;

    @Option(names = "--drain-delay", defaultValue = "${env:ROOMCAST_DRAIN_DELAY:-PT5S}", description = "spread of client reconnects on drain, ISO-8601 (default: ${DEFAULT-VALUE})")
    Duration drainDelay;

    @Option(names = "--presence-ttl", defaultValue = "${env:ROOMCAST_PRESENCE_TTL:-PT30S}",
            description = "how long a presence lease lives unless renewed (renewed every third of it): members of an edge that died "
                    + "leave within this plus about a second, ISO-8601, PT1S..PT1H (default: ${DEFAULT-VALUE})")
    Duration presenceTtl;

    @Option(names = "--presence-max-listed", defaultValue = "${env:ROOMCAST_PRESENCE_MAX_LISTED:-500}",
            description = "members a room lists; above it clients get only counts (default: ${DEFAULT-VALUE})")
    int presenceMaxListed;

    @Option(names = "--status-interval", defaultValue = "${env:ROOMCAST_STATUS_INTERVAL:-PT5S}", description = "how often the edge reports into sys:edges, ISO-8601; PT0S turns it off (default: ${DEFAULT-VALUE})")
    Duration statusInterval;

    @Option(names = "--jwt-secret", defaultValue = "${env:ROOMCAST_JWT_SECRET}", description = "HS256 shared secret (32+ bytes); enables authentication")
    String jwtSecret;

    @Option(names = "--jwt-public-key", defaultValue = "${env:ROOMCAST_JWT_PUBLIC_KEY}", description = "PEM file with the RS256/ES256 public key; enables authentication")
    java.nio.file.Path jwtPublicKey;

    @Option(names = "--jwks-url", defaultValue = "${env:ROOMCAST_JWKS_URL}", description = "JWKS URL for RS256/ES256 keys; enables authentication")
    String jwksUrl;

    @Option(names = "--jwt-issuer", defaultValue = "${env:ROOMCAST_JWT_ISSUER}", description = "required iss claim")
    String jwtIssuer;

    @Option(names = "--jwt-audience", defaultValue = "${env:ROOMCAST_JWT_AUDIENCE}", description = "required aud claim")
    String jwtAudience;

    @Option(names = "--anonymous-subscribe", split = ",", defaultValue = "${env:ROOMCAST_ANONYMOUS_SUBSCRIBE}",
            description = "namespaces anyone may subscribe to when authentication is on")
    java.util.List<String> anonymousSubscribe;

    @Option(names = "--anonymous-publish", split = ",", defaultValue = "${env:ROOMCAST_ANONYMOUS_PUBLISH}",
            description = "namespaces anyone may publish into when authentication is on")
    java.util.List<String> anonymousPublish;

    @Option(names = "--allowed-origins", split = ",", defaultValue = "${env:ROOMCAST_ALLOWED_ORIGINS}",
            description = "browser origins allowed to connect, e.g. https://app.example.com,https://*.example.com (default: all)")
    java.util.List<String> allowedOrigins;

    @Option(names = "--frames-per-second", defaultValue = "${env:ROOMCAST_FRAMES_PER_SECOND:-200}",
            description = "frames a connection may send per second before rate_limited (default: ${DEFAULT-VALUE})")
    int framesPerSecond;

    @Option(names = "--publishes-per-second", defaultValue = "${env:ROOMCAST_PUBLISHES_PER_SECOND:-100}",
            description = "publishes a connection may send per second before rate_limited; raise it for services streaming over the socket (default: ${DEFAULT-VALUE})")
    int publishesPerSecond;

    @Option(names = "--prompts-per-minute", split = ",", defaultValue = "${env:ROOMCAST_PROMPTS_PER_MINUTE:-60,20}",
            description = "prompt events per minute on this edge: per room, per user (default: ${DEFAULT-VALUE})")
    java.util.List<Integer> promptsPerMinute;

    @Option(names = "--admin-token", defaultValue = "${env:ROOMCAST_ADMIN_TOKEN}", description = "enables /admin/connections with this bearer token (16+ characters)")
    String adminToken;

    @Option(names = "--allow-query-token", defaultValue = "${env:ROOMCAST_ALLOW_QUERY_TOKEN:-false}", arity = "0..1",
            description = "accept tokens in the handshake URL (?token=); off by default because URLs are logged: clients send an auth frame")
    boolean allowQueryToken;

    @Option(names = "--trusted-proxies", split = ",", defaultValue = "${env:ROOMCAST_TRUSTED_PROXIES}",
            description = "address blocks of proxies whose Forwarded / X-Forwarded-For headers name the client, e.g. 10.0.0.0/8,fd00::/8 (default: none)")
    java.util.List<String> trustedProxies;

    @Option(names = "--management-port", defaultValue = "${env:ROOMCAST_MANAGEMENT_PORT:--1}",
            description = "separate listener for /metrics and /admin; -1 = none: they answer only local, unproxied requests or the admin token (default: ${DEFAULT-VALUE})")
    int managementPort;

    @Option(names = "--management-host", defaultValue = "${env:ROOMCAST_MANAGEMENT_HOST:-127.0.0.1}",
            description = "address of the management listener (default: ${DEFAULT-VALUE})")
    String managementHost;

    private io.roomcast.edge.auth.AuthConfig auth() {
        return io.roomcast.edge.auth.AuthConfig.builder()
                .hs256Secret(jwtSecret)
                .publicKeyFile(jwtPublicKey)
                .jwksUrl(jwksUrl)
                .issuer(jwtIssuer)
                .audience(jwtAudience)
                .anonymousSubscribe(anonymousSubscribe == null ? java.util.List.of() : anonymousSubscribe)
                .anonymousPublish(anonymousPublish == null ? java.util.List.of() : anonymousPublish)
                .allowedOrigins(allowedOrigins == null ? java.util.List.of() : allowedOrigins)
                .allowQueryToken(allowQueryToken)
                .build();
    }

    EdgeConfig toConfig(String kafka, int port, KafkaClientProperties kafkaProperties) {
        if (maxFrameBytes < MIN_FRAME_BYTES) {
            // publish data may use all but 4 KiB of a frame: below 8 KiB nothing useful could be published (a 1-byte limit)
            throw new IllegalArgumentException("--max-frame-bytes must be at least " + MIN_FRAME_BYTES
                    + ": publish data may use all but 4096 bytes of a frame; got " + maxFrameBytes);
        }
        EdgeConfig.Builder b = EdgeConfig.builder(kafka).host(host).port(port)
                .topicPolicy(topicPolicy.policy()).outboundLimit(outboundLimit).maxFrameBytes(maxFrameBytes)
                .maxPayloadBytes(maxFrameBytes - FRAME_OVERHEAD_BYTES).maxSubscriptionsPerConnection(maxSubscriptions)
                .historyReaders(historyReaders).historyCacheBytes(historyCacheBytes).drainDelay(drainDelay).auth(auth()).adminToken(adminToken)
                .framesPerSecond(framesPerSecond).publishesPerSecond(publishesPerSecond).kafkaProperties(kafkaProperties)
                .http(io.roomcast.edge.http.HttpSettings.ofDefaults()
                        .withTrustedProxies(io.roomcast.edge.http.TrustedProxies.parse(trustedProxies))
                        .withManagement(managementHost, managementPort))
                .statusInterval(statusInterval)
                .presence(io.roomcast.edge.presence.PresenceConfig.ofDefaults().withTtl(presenceTtl).withMaxListedMembers(presenceMaxListed));
        if (promptsPerMinute.size() != 2) {
            throw new IllegalArgumentException("--prompts-per-minute takes two numbers: per room and per user, e.g. 60,20");
        }
        b.publish(io.roomcast.edge.publish.PublishSettings.defaults().withPromptQuota(promptsPerMinute.get(0), promptsPerMinute.get(1)));
        io.roomcast.room.Namespaces namespaces = io.roomcast.room.Namespaces.ofDefaults();
        for (String spec : namespaceSpecs) {
            namespaces = namespaces.with(io.roomcast.room.NamespaceSpec.parse(spec, namespaces));
        }
        b.namespaces(topicPrefix.isEmpty() ? namespaces : namespaces.withTopicPrefix(topicPrefix));
        return b.build();
    }
}
