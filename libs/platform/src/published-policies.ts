import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import {
  EventEnvelope,
  FinanceEventSchemas,
  FinanceEventTypes,
  PolicyPublishedV1,
  serviceTopic,
} from '@nqpf/contracts';
import type { Queryable } from '@nqpf/event-store';
import { runDdl } from '@nqpf/messaging';
import { DEFAULT_POLICY, LocalDate, Policy, PolicyRegistry, validatePolicy } from '@nqpf/rules';
import type { BaseConfig } from './config';
import { ConsumerHost } from './consumers';
import { CONFIG, PG_POOL, SERVICE_NAME } from './tokens';
import { UnitOfWork } from './unit-of-work';

/**
 * The policy versions the bureau published in finance's policy book (finance.policy-published), copied
 * into this service's database, beside the RULES.md default. A service deciding by policy (eligibility,
 * publicity, reporting deadlines, grading) asks for the version in force on a date, so a published version
 * applies there as it does to subsidies, and the decision records which one it was.
 * Finance refuses a version that would take effect before its publication day; the copy arrives within
 * seconds, so publish a version at least a day before it takes effect.
 */
@Injectable()
export class PublishedPolicies implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: BaseConfig,
    @Inject(SERVICE_NAME) private readonly service: string,
    private readonly consumers: ConsumerHost,
    private readonly uow: UnitOfWork,
  ) {}

  private get table(): string {
    return `"${this.service}".published_policies`;
  }

  /** Before any consumer or timer of the service starts (they bootstrap after every module's init). */
  async onModuleInit(): Promise<void> {
    await runDdl(
      this.pool,
      `create schema if not exists "${this.service}";
       create table if not exists ${this.table} (
         version text primary key,
         effective_from date not null,
         policy jsonb not null)`,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    await this.consumers.start({
      groupId: `${prefix}.${this.service}.policy-book`,
      topics: [serviceTopic('finance', prefix)],
      fromBeginning: true,
      validate: FinanceEventSchemas,
      eventTypes: [FinanceEventTypes.PolicyPublished],
      idempotent: true,
      handle: (event) => this.record(event),
    });
  }

  /** Keeps a published version; a redelivery changes nothing. */
  async record(event: EventEnvelope): Promise<void> {
    if (event.type !== FinanceEventTypes.PolicyPublished) return;
    const published = event.payload as PolicyPublishedV1;
    const policy = validatePolicy(published.policy);
    await this.pool.query(
      `insert into ${this.table} (version, effective_from, policy) values ($1, $2, $3)
       on conflict (version) do nothing`,
      [policy.version, policy.effectiveFrom, JSON.stringify(published.policy)],
    );
  }

  /**
   * The version in force on a date (Asia/Shanghai): the latest effective on or before it. Read in `db`, else
   * in the request's transaction: a second connection per command could exhaust the pool under load.
   */
  async inForceOn(date: LocalDate, db?: Queryable): Promise<Policy> {
    const { rows } = await (db ?? this.uow.current() ?? this.pool).query<{ policy: unknown }>(
      `select policy from ${this.table} where effective_from <= $1`,
      [date],
    );
    return new PolicyRegistry([DEFAULT_POLICY, ...rows.map((r) => r.policy)]).inForceOn(date);
  }

  /**
   * A version by name: the one a center's decisions were recorded under (A17.3a is decided under the
   * version of the recognition whatever is in force today). UnknownPolicyVersionError while it has not
   * been copied here yet: the caller fails and is retried, rather than deciding under another version.
   */
  async version(version: string, db?: Queryable): Promise<Policy> {
    const { rows } = await (db ?? this.uow.current() ?? this.pool).query<{ policy: unknown }>(
      `select policy from ${this.table} where version = $1`,
      [version],
    );
    return new PolicyRegistry([DEFAULT_POLICY, ...rows.map((r) => r.policy)]).get(version);
  }
}
