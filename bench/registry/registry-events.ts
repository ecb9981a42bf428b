import type { EventEnvelope, ServiceName } from '@nqpf/contracts';
import { finance } from '../../apps/registry/src/ledger/finance-story.fixture';
import {
  gradeEvent,
  intakeStory,
  reportDue,
  reportOverdue,
  reviewStory,
} from '../../apps/registry/src/standing/center-story.fixture';

const DISTRICTS = ['220102', '220103', '220104', '220105', '220106', '220112', '220113'];
const QUARTERS = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'];
const QUARTER_ENDS = ['2026-03-31', '2026-06-30', '2026-09-30', '2026-12-31'];

/** The events of one center's life, per producing service: 23 events, every one contract-valid. */
function centerLife(centerId: string, n: number): Record<ServiceName, EventEnvelope[]> {
  const district = DISTRICTS[n % DISTRICTS.length]!;
  const reporting = QUARTERS.map((q, i) => reportDue(centerId, q, QUARTER_ENDS[i]!));
  reporting.push(reportOverdue(centerId, QUARTERS[n % 4]!, QUARTER_ENDS[n % 4]!));
  const amount = (base: number) => String(base + (n % 1000) * 100);
  return {
    intake: intakeStory(centerId, district),
    review: reviewStory(centerId, district, '2026-01-20'),
    reporting,
    assessment: [
      gradeEvent(centerId, 2026, n % 5 === 0 ? '合格' : '良好'),
      gradeEvent(centerId, 2027, '优秀'),
    ],
    finance: [
      finance.accountOpened(centerId, district, '2026-01-20'),
      finance.grant(centerId, `${centerId}-g1`, 1, amount(50_000_000)),
      finance.disbursement(centerId, `${centerId}-d1`, 1, amount(50_000_000)),
      finance.expenditure(centerId, `${centerId}-e1`, 'rent', amount(1_000_000)),
      finance.expenditure(centerId, `${centerId}-e2`, 'equipment', amount(2_000_000)),
      finance.expenditure(centerId, `${centerId}-e3`, 'training', amount(500_000)),
      finance.rejected(centerId, `${centerId}-x1`, 'sponsorship', amount(300_000)),
      finance.grant(centerId, `${centerId}-g2`, 2, amount(30_000_000)),
      finance.disbursement(centerId, `${centerId}-d2`, 2, amount(30_000_000)),
    ],
  };
}

export const EVENTS_PER_CENTER = 23;

/**
 * The registry's input for `centers` centers, per service topic. The fixtures give each event a stream
 * of its own; here a center's events of one service share one stream with rising versions, as a
 * service's aggregate would write them (the projections' duplicate check then does its real work).
 */
export function registryEventMix(centers: number): Record<ServiceName, EventEnvelope[]> {
  const mix: Record<ServiceName, EventEnvelope[]> = {
    intake: [],
    review: [],
    reporting: [],
    assessment: [],
    finance: [],
  };
  for (let n = 0; n < centers; n++) {
    const centerId = `center-${String(n).padStart(7, '0')}`;
    const life = centerLife(centerId, n);
    for (const service of Object.keys(mix) as ServiceName[]) {
      life[service].forEach((event, i) => {
        mix[service].push({ ...event, streamId: `${service}-${centerId}`, streamVersion: i + 1 });
      });
    }
  }
  return mix;
}
