/* The services' deciders and spec fixtures the contract examples run (test support only). */
import { applicationDecider } from '../../../../../apps/intake/src/domain/application/application.decider';
import * as intakeFixtures from '../../../../../apps/intake/src/domain/application/application.fixtures';
import { callDecider } from '../../../../../apps/intake/src/domain/call/call.decider';
import { candidacyDecider } from '../../../../../apps/review/src/domain/candidacy/candidacy.decider';
import * as reviewFixtures from '../../../../../apps/review/src/domain/candidacy/candidacy.fixtures';
import { expertDecider } from '../../../../../apps/review/src/domain/expert/expert.decider';
import { obligationsDecider } from '../../../../../apps/reporting/src/domain/obligations/obligations.decider';
import * as reportingHelper from '../../../../../apps/reporting/src/domain/obligations/obligations.spec-helper';
import { centerDecider } from '../../../../../apps/assessment/src/domain/center/center.decider';
import * as assessmentHelper from '../../../../../apps/assessment/src/domain/center/center.spec-helper';
import { subsidyAccountDecider } from '../../../../../apps/finance/src/domain/subsidy-account/subsidy-account.decider';
import { policyBookDecider } from '../../../../../apps/finance/src/domain/policy-book/policy-book.decider';
import * as financeGiven from '../../../../../apps/finance/src/domain/subsidy-account/testing/given';
import { decideMaterials, defaultPolicy } from '@nqpf/rules';
import type { MaterialV1 } from '../../events/intake';

/** The A8 materials decision of libs/rules with the default policy. */
function materialsDecision(materials: MaterialV1[]) {
  return decideMaterials({ materials }, defaultPolicy);
}

export const services = {
  intake: { callDecider, applicationDecider, ...intakeFixtures, materialsDecision },
  review: { candidacyDecider, expertDecider, fixtures: reviewFixtures },
  reporting: { obligationsDecider, helper: reportingHelper },
  assessment: { centerDecider, helper: assessmentHelper },
  finance: { subsidyAccountDecider, policyBookDecider, given: financeGiven },
};
