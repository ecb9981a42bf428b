import type { EventEnvelope } from '@nqpf/contracts';
import { ConsumedRecord, nextOffset } from '@nqpf/messaging';
import { freshEvents, parseRecords } from './parse-records';
import { evolveDocuments, settleDocuments } from './document-projector';
import type { DocumentReducer, Projector } from './projector';

export interface PartitionPosition {
  topic: string;
  partition: number;
  nextOffset: string;
  lastRecordedAt: string | null;
}

/**
 * The live runner's batch body without a database: parse, contract check, duplicate check by stream
 * version, then the reducer — over documents held in memory. Memory grows with documents and streams,
 * not with events. Used by rebuilds of document models and by as-of queries.
 */
export class InMemoryFold<S> {
  private readonly folded = new Map<string, S>();
  /** Documents changed since they were last settled: each is settled once, when the documents are read. */
  private readonly unsettled = new Set<string>();
  /** Highest stream version applied per stream: the `_stream_versions` a rebuild writes. */
  readonly streamVersions = new Map<string, number>();
  readonly positions = new Map<string, PartitionPosition>();
  applied = 0;
  rejected = 0;

  constructor(
    private readonly reducer: DocumentReducer<S>,
    private readonly validate?: Projector['validate'],
    private readonly include?: (event: EventEnvelope) => boolean,
  ) {}

  /** Every document folded so far, settled. */
  get documents(): Map<string, S> {
    settleDocuments(this.reducer, this.folded, this.unsettled);
    return this.folded;
  }

  /** One partition's records, in offset order. */
  add(records: ConsumedRecord[]): void {
    const last = records[records.length - 1];
    if (last === undefined) return;
    const parsed = parseRecords(records, {
      validate: this.validate,
      include: this.include,
      handles: this.reducer.handles,
    });
    const fresh = freshEvents(parsed.events, this.streamVersions);
    evolveDocuments(this.reducer, fresh, this.folded, this.unsettled);
    this.applied += fresh.length;
    this.rejected += parsed.rejected.length;
    const key = `${last.topic}:${last.partition}`;
    this.positions.set(key, {
      topic: last.topic,
      partition: last.partition,
      nextOffset: nextOffset(last.offset),
      lastRecordedAt: parsed.lastRecordedAt ?? this.positions.get(key)?.lastRecordedAt ?? null,
    });
  }
}
