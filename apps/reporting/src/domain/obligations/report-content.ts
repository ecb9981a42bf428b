import { createHash } from 'node:crypto';
import { canonicalJson, type ReportContentV1, type ReportKindV1 } from '@nqpf/contracts';
import { requireObject, requireText } from '@nqpf/domain';

const FIELDS: Record<ReportKindV1, readonly string[]> = {
  quarterly: ['majorActivities', 'importantResults'],
  annual: ['targetsMet', 'fundsUse', 'problems', 'nextYearPlan'],
};

/** A14: major activities and important results. A15: targets met, use of funds, problems, next year's plan. */
export function readReportContent(kind: ReportKindV1, raw: unknown): ReportContentV1 {
  const c = requireObject('content', raw, FIELDS[kind]);
  if (kind === 'quarterly')
    return {
      kind,
      majorActivities: requireText('content.majorActivities', c.majorActivities, 20000),
      importantResults: requireText('content.importantResults', c.importantResults, 20000),
    };
  return {
    kind,
    targetsMet: requireText('content.targetsMet', c.targetsMet, 20000),
    fundsUse: requireText('content.fundsUse', c.fundsUse, 20000),
    problems: requireText('content.problems', c.problems, 20000),
    nextYearPlan: requireText('content.nextYearPlan', c.nextYearPlan, 20000),
  };
}

/**
 * What a report revision says — its content and document — as a digest: the same again (a retry without
 * Idempotency-Key, a second click) is no correction.
 */
export function reportContentKey(content: unknown, documentHash: string | null): string {
  return createHash('sha256').update(canonicalJson({ content, documentHash })).digest('hex');
}
