/** Injection tokens for what the platform provides to every service. */
export const CONFIG = Symbol('nqpf.config');
export const PG_POOL = Symbol('nqpf.pg-pool');
export const KAFKA = Symbol('nqpf.kafka');
export const SERVICE_NAME = Symbol('nqpf.service-name');
