import type { Type } from '@nestjs/common';
import { AssessmentController } from '../../apps/assessment/src/centers/assessment.controller';
import { AccountsController } from '../../apps/finance/src/accounts/accounts.controller';
import { ApplicationsController } from '../../apps/intake/src/applications/applications.controller';
import { CallsController } from '../../apps/intake/src/calls/calls.controller';
import { ObligationsController } from '../../apps/reporting/src/obligations/obligations.controller';
import { CandidaciesController } from '../../apps/review/src/candidacies/candidacies.controller';
import { ExpertsController } from '../../apps/review/src/experts/experts.controller';
import type { Service, StepKind } from './steps';

/**
 * Where each step kind enters a service: its public route (HTTP driver) and the controller method behind
 * that route (direct driver). Controller methods take (path id?, body?, actor), in that order.
 */
export interface Route {
  service: Service;
  path: (target: string | null) => string;
  controller: Type<unknown>;
  method: string;
  hasBody: boolean;
}

const r = (
  service: Service,
  path: (id: string) => string,
  controller: Type<unknown>,
  method: string,
  hasBody = true,
): Route => ({ service, path: (id) => path(id ?? ''), controller, method, hasBody });

export const ROUTES: Record<StepKind, Route> = {
  'register-expert': r('review', (id) => `/experts/${id}`, ExpertsController, 'register'),
  'open-call': r('intake', () => '/calls', CallsController, 'openCall'),
  draft: r('intake', () => '/applications', ApplicationsController, 'draft'),
  submit: r('intake', (id) => `/applications/${id}/submit`, ApplicationsController, 'submit', false),
  endorse: r('intake', (id) => `/applications/${id}/endorse`, ApplicationsController, 'endorse'),
  accept: r('intake', (id) => `/applications/${id}/accept`, ApplicationsController, 'accept', false),
  'assign-expert': r('review', (id) => `/candidacies/${id}/experts`, CandidaciesController, 'assign'),
  review: r('review', (id) => `/candidacies/${id}/reviews`, CandidaciesController, 'review'),
  inspect: r('review', (id) => `/candidacies/${id}/site-inspections`, CandidaciesController, 'inspect'),
  listing: r('review', (id) => `/candidacies/${id}/listing`, CandidaciesController, 'listing'),
  publicity: r('review', (id) => `/candidacies/${id}/publicity`, CandidaciesController, 'publicity'),
  sign: r('review', (id) => `/candidacies/${id}/agreement`, CandidaciesController, 'sign'),
  'operation-start': r(
    'reporting',
    (id) => `/centers/${id}/operation-start`,
    ObligationsController,
    'declareStart',
  ),
  'confirm-start': r(
    'reporting',
    (id) => `/centers/${id}/operation-start/confirm`,
    ObligationsController,
    'confirmStart',
  ),
  activity: r('reporting', (id) => `/centers/${id}/activities`, ObligationsController, 'logActivity'),
  report: r('reporting', (id) => `/centers/${id}/reports`, ObligationsController, 'fileReport'),
  assess: r('assessment', (id) => `/centers/${id}/assessments`, AssessmentController, 'assess'),
  'declare-year1-costs': r(
    'finance',
    (id) => `/accounts/${id}/year1-costs`,
    AccountsController,
    'declareYear1Costs',
  ),
  'approve-year1-costs': r(
    'finance',
    (id) => `/accounts/${id}/year1-costs/approve`,
    AccountsController,
    'approveYear1Costs',
  ),
  disburse: r('finance', (id) => `/accounts/${id}/disbursements`, AccountsController, 'disburse'),
  expenditure: r('finance', (id) => `/accounts/${id}/expenditures`, AccountsController, 'recordExpenditure'),
};
