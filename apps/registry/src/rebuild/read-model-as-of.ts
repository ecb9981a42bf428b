import type { Kafka } from 'kafkajs';
import { EventPayloadSchemas, type Actor } from '@nqpf/contracts';
import { matchesScope, scopeFilter } from '@nqpf/auth';
import { InvalidInputError } from '@nqpf/domain';
import { foldAsOf, type AsOf, type DocumentReducer } from '@nqpf/projections';
import { addDays, isIsoInstant, isLocalDate, startOfDayShanghai } from '@nqpf/rules';
import type { ReplayGate } from './replay-gate';

/**
 * `at` must be an ISO 8601 instant with a zone (Z or ±hh:mm): a local time would be ambiguous. Years 2000
 * to 9998 (in Asia/Shanghai too): outside them no record exists and the day arithmetic of the views fails.
 */
export function parseInstant(raw: string | undefined, field: string): Date {
  // In a query string an unencoded + arrives as a space: '…T00:00:00+08:00' typed as is.
  const value = raw?.replace(/(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:\d{2})$/, '$1+$2');
  if (!isIsoInstant(value))
    throw new InvalidInputError(
      field,
      `must be an ISO 8601 instant with a zone, e.g. 2026-03-10T00:00:00+08:00, or a date YYYY-MM-DD, got "${value ?? ''}"`,
    );
  return inRange(new Date(value), value, field);
}

function inRange(at: Date, value: string, field: string): Date {
  if (at < EARLIEST || at > LATEST)
    throw new InvalidInputError(field, `must lie in the years 2000 to 9998, got "${value}"`);
  return at;
}

const EARLIEST = new Date('2000-01-01T00:00:00+08:00');
const LATEST = new Date('9998-12-31T23:59:59.999+08:00');

/**
 * As-of `at`: an ISO instant with a zone (parseInstant), or a date YYYY-MM-DD meaning the end of that day
 * in Asia/Shanghai: every event recorded before the next day's 00:00 +08:00 counts, so the answer is the
 * standing as of that date. The instant is the last millisecond of the day (recorded times carry
 * milliseconds), whose Shanghai date is the date given.
 */
export function parseAsOfAt(raw: string | undefined, field: string): Date {
  if (raw !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    if (!isLocalDate(raw))
      throw new InvalidInputError(field, `${raw} is not a date of the calendar (YYYY-MM-DD)`);
    const nextMidnight = Date.parse(startOfDayShanghai(addDays(raw, 1)));
    return inRange(new Date(nextMidnight - 1), raw, field);
  }
  return parseInstant(raw, field);
}

/** A Kafka position: per topic and partition, the offset to stop at (exclusive), as a decimal string. */
export type EndOffsets = Record<string, Record<number, string>>;

const OFFSETS_EXAMPLE = '{"nqpf.finance.events":{"0":120,"1":98}}';
const WHOLE_NUMBER = /^(0|[1-9]\d*)$/;

/**
 * As-of `endOffsets`: JSON `{ "<topic>": { "<partition>": <offset> } }`, each offset a whole number (or
 * one as a string) that is **exclusive** — the replay reads the offsets below it, as Kafka's end offsets and
 * libs/projections `AsOf.endOffsets` mean it. Topics must be among `topics` (the registry's topics); a bad
 * JSON, an unknown topic, a partition that is not a whole number, an offset that is negative, fractional or
 * not a number is a 400 naming `endOffsets` and the place. Partitions and offsets are checked against the
 * topics themselves by `resolveEndOffsets`.
 */
export function parseEndOffsets(raw: string, field: string, topics: readonly string[]): EndOffsets {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InvalidInputError(field, `must be JSON such as ${OFFSETS_EXAMPLE}, got "${raw}"`);
  }
  if (!isPlainObject(parsed) || Object.keys(parsed).length === 0)
    throw new InvalidInputError(
      field,
      `must name at least one topic, each with its partitions' end offsets, e.g. ${OFFSETS_EXAMPLE}`,
    );
  const offsets: EndOffsets = {};
  for (const [topic, partitions] of Object.entries(parsed)) {
    if (!topics.includes(topic))
      throw new InvalidInputError(field, `unknown topic "${topic}"; the registry reads ${topics.join(', ')}`);
    if (!isPlainObject(partitions) || Object.keys(partitions).length === 0)
      throw new InvalidInputError(
        `${field}.${topic}`,
        `must map partitions to end offsets, e.g. {"0":120}, got ${JSON.stringify(partitions)}`,
      );
    offsets[topic] = {};
    for (const [partition, offset] of Object.entries(partitions)) {
      if (!WHOLE_NUMBER.test(partition) || !Number.isSafeInteger(Number(partition)))
        throw new InvalidInputError(
          `${field}.${topic}`,
          `partition "${partition}" is not a partition number (0, 1, …)`,
        );
      const text =
        typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0
          ? String(offset)
          : typeof offset === 'string' && WHOLE_NUMBER.test(offset)
            ? offset
            : undefined;
      if (text === undefined)
        throw new InvalidInputError(
          `${field}.${topic}.${partition}`,
          `must be an offset, a whole number from 0, got ${JSON.stringify(offset)}`,
        );
      offsets[topic][Number(partition)] = text;
    }
  }
  return offsets;
}

/**
 * The position a replay of `topics` stops at: the given end offsets, and for every partition not named its
 * end now (its high watermark), so the answer says exactly what was read. A partition the topic does not
 * have, or an offset past the partition's end (a position not reached yet), is a 400 naming it. Topics
 * given that the read model does not read are left out (the same position may be asked of both models).
 */
export async function resolveEndOffsets(
  kafka: Kafka,
  topics: readonly string[],
  given: EndOffsets,
  field: string,
): Promise<EndOffsets> {
  const admin = kafka.admin();
  await admin.connect();
  const resolved: EndOffsets = {};
  try {
    const known = new Map<string, Map<number, string>>();
    for (const topic of new Set([...topics, ...Object.keys(given)])) {
      const partitions = await admin.fetchTopicOffsets(topic);
      known.set(topic, new Map(partitions.map((p) => [p.partition, p.high])));
    }
    for (const [topic, partitions] of Object.entries(given)) {
      const highs = known.get(topic)!;
      for (const [partition, offset] of Object.entries(partitions)) {
        const high = highs.get(Number(partition));
        if (high === undefined)
          throw new InvalidInputError(
            `${field}.${topic}`,
            `topic has no partition ${partition} (it has ${[...highs.keys()].sort((a, b) => a - b).join(', ')})`,
          );
        if (BigInt(offset) > BigInt(high))
          throw new InvalidInputError(
            `${field}.${topic}.${partition}`,
            `${offset} is past the partition's end offset ${high}, a position not reached yet`,
          );
      }
    }
    for (const topic of topics) {
      resolved[topic] = {};
      for (const [partition, high] of known.get(topic)!)
        resolved[topic][partition] = given[topic]?.[partition] ?? high;
    }
  } finally {
    await admin.disconnect();
  }
  return resolved;
}

/** The as-of parameters as the OpenAPI document describes them. */
export const AS_OF_AT =
  'ISO 8601 instant with a zone, or a date YYYY-MM-DD (its end in Asia/Shanghai: events recorded before the next day 00:00 +08:00); or give endOffsets';
export const AS_OF_END_OFFSETS =
  'a Kafka position instead of at: JSON {"<topic>":{"<partition>":<offset>}}, each offset exclusive (the offsets below it are read); partitions not named are read to their end now';

/** Where an as-of request stops: at an instant (or a date's end), or at a Kafka position. */
export type AsOfPoint = { at: Date } | { endOffsets: EndOffsets };

/** An as-of request's point as given: an instant, or end offsets not yet checked against the topics. */
type RequestedPoint = { at: Date } | { requestedEndOffsets: EndOffsets };

/**
 * The `at` / `endOffsets` of an as-of request: exactly one of them. Both is a 400, since they could
 * disagree (an event below the offsets but recorded after `at`); neither is a 400 too.
 */
function parseAsOfPoint(
  at: string | undefined,
  endOffsets: string | undefined,
  knownTopics: readonly string[],
): RequestedPoint {
  const given = (v: string | undefined) => v !== undefined && v !== '';
  if (given(at) && given(endOffsets))
    throw new InvalidInputError(
      'at',
      'endOffsets is given too; give one of them: the standing as of an instant or date (at), or as of a Kafka position (endOffsets)',
    );
  if (given(endOffsets))
    return { requestedEndOffsets: parseEndOffsets(endOffsets!, 'endOffsets', knownTopics) };
  if (!given(at))
    throw new InvalidInputError(
      'at',
      'required, an ISO 8601 instant with a zone or a date YYYY-MM-DD (or give endOffsets, a Kafka position)',
    );
  return { at: parseAsOfAt(at, 'at') };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A read model (standing, ledger) as the system knew it at a point (`at` or `endOffsets`, see
 * parseAsOfPoint): its topics replayed from offset zero into memory, keeping only events recorded at or
 * before `at`, or only those below the end offsets (libs/projections foldAsOf), then the actor's scope.
 * Live tables are never touched. The parameters are checked before the gate; the topics (end offsets, then
 * the replay) are read only inside it, so a refused caller opens no Kafka connection.
 */
export async function readModelAsOf<S extends { centerId: string; district: string | null }>(options: {
  gate: ReplayGate;
  kafka: Kafka;
  topics: string[];
  /** Every topic a position may name. */
  knownTopics: readonly string[];
  replayGroupPrefix: string;
  reducer: DocumentReducer<S>;
  at: string | undefined;
  endOffsets: string | undefined;
  actor: Actor;
  centerId?: string;
}): Promise<{ point: AsOfPoint; documents: S[] }> {
  const requested = parseAsOfPoint(options.at, options.endOffsets, options.knownTopics);
  const { point, documents } = await options.gate.run(options.actor, async () => {
    const point: AsOfPoint =
      'at' in requested
        ? requested
        : {
            endOffsets: await resolveEndOffsets(
              options.kafka,
              options.topics,
              requested.requestedEndOffsets,
              'endOffsets',
            ),
          };
    const documents = await foldAsOf({
      kafka: options.kafka,
      topics: options.topics,
      replayGroupPrefix: options.replayGroupPrefix,
      reducer: options.reducer,
      validate: EventPayloadSchemas,
      asOf: asOfOf(point),
    });
    return { point, documents };
  });
  const scope = scopeFilter(options.actor);
  const inScope = [...documents.values()]
    .filter((doc) => options.centerId === undefined || doc.centerId === options.centerId)
    .filter((doc) =>
      matchesScope(scope, { id: doc.centerId, centerId: doc.centerId, district: doc.district }),
    )
    .sort((a, b) => (a.centerId < b.centerId ? -1 : a.centerId > b.centerId ? 1 : 0));
  return { point, documents: inScope };
}

function asOfOf(point: AsOfPoint): AsOf {
  return 'at' in point ? { recordedAt: point.at } : { endOffsets: point.endOffsets };
}
