import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { creditCodeCheckChar } from '@nqpf/rules';
import { addDays } from './calendar';

const EXAMPLE = JSON.parse(
  readFileSync(join(__dirname, '../../libs/rules/examples/eligible-application.json'), 'utf8'),
) as Record<string, unknown>;

/** The A8 materials every application carries (metadata only; the files live elsewhere). */
export const MATERIALS = ['application_form', 'construction_plan', 'co_construction_agreement'].map(
  (kind, i) => ({
    kind,
    fileName: `${kind}.pdf`,
    mediaType: 'application/pdf',
    sizeBytes: 204800,
    sha256: String(i + 1).repeat(64),
  }),
);

/** The rules' eligible example, made one center's: its area, its operator, its last twelve months. */
export function applicationFacts(n: number, areaM2: string, submittedOn: string): Record<string, unknown> {
  const stem = `91220100MA${String(10_000_000 + n).slice(1)}`;
  const periodTo = addDays(submittedOn, -1);
  return {
    ...EXAMPLE,
    premises: { buildingAreaM2: areaM2 },
    operator: {
      name: `长春第${n}号新质生产力促进中心运营有限公司`,
      creditCode: stem + creditCodeCheckChar(stem),
    },
    activities: { count: 100 + (n % 60), periodFrom: addDays(periodTo, -364), periodTo },
  };
}
