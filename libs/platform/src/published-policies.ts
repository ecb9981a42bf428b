import {
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
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
import {
  DEFAULT_POLICY,
  LocalDate,
  Policy,
  PolicyRegistry,
  startOfDayShanghai,
  UnknownPolicyVersionError,
  validatePolicy,
} from '@nqpf/rules';
import { Clock } from './clock';
import type { BaseConfig } from './config';
import { ConsumerHost } from './consumers';
import { TopicReadMark } from './topic-read-mark';
import { CONFIG, KAFKA, PG_POOL, SERVICE_NAME } from './tokens';
import { UnitOfWork } from './unit-of-work';

/** See inForceOn: how long after midnight a decision still makes sure of the day before's publications. */
const PUBLICATION_MARGIN_MS = 3_600_000;

/**
 * The policy versions the bureau published in finance's policy book (finance.policy-published), copied
 * into this service's database, beside the RULES.md default. A service deciding by policy (eligibility,
 * publicity, reporting deadlines, grading) asks for the version in force on a date, so a published version
 * applies there as it does to subsidies, and the decision records which one it was.
 *
 * The copy is fed by its own consumer, which can lag (a restart, a fresh replica, an outage): a decision
 * asks only once the copy has read finance's topic as far as the decision needs, and meanwhile waits
 * (NotReadyYet: a consumer retries, a command answers 503) rather than deciding under an older version.
 */
@Injectable()
export class PublishedPolicies implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  /** How far the copy has read finance's topic. */
  private readonly copied: TopicReadMark;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: BaseConfig,
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(KAFKA) kafka: Kafka,
    private readonly consumers: ConsumerHost,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {
    this.copied = new TopicReadMark(kafka, clock, {
      topic: this.topic,
      groupId: this.groupId,
      copy: "the copy of finance's policy book",
    });
  }

  /** How long a decision waits for the copy before giving up with NotReadyYet. */
  get waitMs(): number {
    return this.copied.waitMs;
  }
  set waitMs(ms: number) {
    this.copied.waitMs = ms;
  }

  private get table(): string {
    return `"${this.service}".published_policies`;
  }

  private get topic(): string {
    return serviceTopic('finance', this.config.KAFKA_TOPIC_PREFIX);
  }

  private get groupId(): string {
    return `${this.config.KAFKA_TOPIC_PREFIX}.${this.service}.policy-book`;
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

  async onApplicationShutdown(): Promise<void> {
    await this.copied.close();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      groupId: this.groupId,
      topics: [this.topic],
      fromBeginning: true,
      validate: FinanceEventSchemas,
      eventTypes: [FinanceEventTypes.PolicyPublished],
      idempotent: true,
      handle: (event, db) => this.record(event, db),
    });
  }

  /** Keeps a published version; a redelivery changes nothing. On the consumer's connection, when given. */
  async record(event: EventEnvelope, db: Queryable = this.pool): Promise<void> {
    if (event.type !== FinanceEventTypes.PolicyPublished) return;
    const published = event.payload as PolicyPublishedV1;
    const policy = validatePolicy(published.policy);
    await db.query(
      `insert into ${this.table} (version, effective_from, policy) values ($1, $2, $3)
       on conflict (version) do nothing`,
      [policy.version, policy.effectiveFrom, JSON.stringify(published.policy)],
    );
  }

  /**
   * The version in force on a date (Asia/Shanghai): the latest effective on or before it. Finance refuses a
   * version taking effect on or before its publication day, so every version in force on `date` was
   * published before that day began: they are all here once the copy has read finance's topic as it stood
   * at 00:00 that day — plus PUBLICATION_MARGIN_MS, for a version published late the day before that
   * finance's outbox relay hands to Kafka after midnight, and for clocks apart (checked once a day per
   * process, and at each decision in that first hour). Read in `db`, else in the request's transaction: a
   * second connection per command could exhaust the pool under load.
   */
  async inForceOn(date: LocalDate, db?: Queryable): Promise<Policy> {
    return (await this.inForceUpTo(date, db)).inForceOn(date);
  }

  /** Every version in force on a day up to `date` (a registry: its `inForceOn` for any day until then). */
  async inForceUpTo(date: LocalDate, db?: Queryable): Promise<PolicyRegistry> {
    await this.copied.readUpTo(Date.parse(startOfDayShanghai(date)) + PUBLICATION_MARGIN_MS);
    const { rows } = await (db ?? this.uow.current() ?? this.pool).query<{ policy: unknown }>(
      `select policy from ${this.table} where effective_from <= $1`,
      [date],
    );
    return new PolicyRegistry([DEFAULT_POLICY, ...rows.map((r) => r.policy)]);
  }

  /**
   * The policy a center's recognition is decided under (A17.3a deadline, A12.1 support years): the version
   * review recorded with it, so every service uses the same one; for a recognition recorded before that,
   * the version in force on its date.
   */
  ofRecognition(policyVersion: string | undefined, recognizedOn: LocalDate, db?: Queryable): Promise<Policy> {
    return policyVersion === undefined ? this.inForceOn(recognizedOn, db) : this.version(policyVersion, db);
  }

  /**
   * A version by name: the one a center's decisions were recorded under (A17.3a is decided under the
   * version of the recognition whatever is in force today). Not here yet: waits for the copy to read
   * finance's topic as it stands now; UnknownPolicyVersionError only if the version is not there either.
   */
  async version(version: string, db?: Queryable): Promise<Policy> {
    const lookup = async () => {
      const { rows } = await (db ?? this.uow.current() ?? this.pool).query<{ policy: unknown }>(
        `select policy from ${this.table} where version = $1`,
        [version],
      );
      return new PolicyRegistry([DEFAULT_POLICY, ...rows.map((r) => r.policy)]).get(version);
    };
    try {
      return await lookup();
    } catch (err) {
      if (!(err instanceof UnknownPolicyVersionError)) throw err;
      await this.copied.readUpTo(this.clock.now().getTime(), { fresh: true });
      return lookup();
    }
  }
}
