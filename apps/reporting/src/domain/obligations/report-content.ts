import { createHash } from 'node:crypto';
import { canonicalJson, type ReportContentV1, type ReportKindV1 } from '@nqpf/contracts';
import { requireObject, requireText } from '@nqpf/domain';

const FIELDS: Record<ReportKindV1, readonly string[]> = {
  quarterly: ['majorActivities', 'importantResults'],
  annual: ['targetsMet', 'fundsUse', 'problems', 'nextYearPlan'],
};

/** The longest text of a report's content (each field); the report route's body limit fits four of them. */
export const REPORT_TEXT_MAX = 20_000;

/** A14: major activities and important results. A15: targets met, use of funds, problems, next year's plan. */
export function readReportContent(kind: ReportKindV1, raw: unknown): ReportContentV1 {
  const c = requireObject('content', raw, FIELDS[kind]);
  if (kind === 'quarterly')
    return {
      kind,
      majorActivities: requireText('content.majorActivities', c.majorActivities, REPORT_TEXT_MAX),
      importantResults: requireText('content.importantResults', c.importantResults, REPORT_TEXT_MAX),
    };
  return {
    kind,
    targetsMet: requireText('content.targetsMet', c.targetsMet, REPORT_TEXT_MAX),
    fundsUse: requireText('content.fundsUse', c.fundsUse, REPORT_TEXT_MAX),
    problems: requireText('content.problems', c.problems, REPORT_TEXT_MAX),
    nextYearPlan: requireText('content.nextYearPlan', c.nextYearPlan, REPORT_TEXT_MAX),
  };
}

/**
 * What a report revision says — its content and document — as a digest: the same again (a retry without
 * Idempotency-Key, a second click) is no correction.
 */
export function reportContentKey(content: unknown, documentHash: string | null): string {
  return createHash('sha256').update(canonicalJson({ content, documentHash })).digest('hex');
}
