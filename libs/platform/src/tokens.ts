/** Injection tokens for what the platform provides to every service. */
export const CONFIG = Symbol('nqpf.config');
export const PG_POOL = Symbol('nqpf.pg-pool');
export const KAFKA = Symbol('nqpf.kafka');
/** A Kafka client without retries, for the health check only (platform-internal). */
export const KAFKA_PROBE = Symbol('nqpf.kafka-probe');
/** TopicDurability: how the topics a service creates are replicated (KAFKA_TOPIC_*). */
export const TOPIC_DURABILITY = Symbol('nqpf.topic-durability');
export const SERVICE_NAME = Symbol('nqpf.service-name');
/** PostgresThrottlerStorage: the rate-limit counters, shared by a service's replicas. */
export const RATE_LIMIT_STORAGE = Symbol('nqpf.rate-limit-storage');
/** RouteBodyLimit[]: the routes that take bodies over SECURITY_BODY_LIMIT (PlatformOptions.bodyLimits). */
export const ROUTE_BODY_LIMITS = Symbol('nqpf.route-body-limits');
