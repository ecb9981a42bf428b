import type { Actor } from '@nqpf/contracts';
import { NotFoundError } from '@nqpf/domain';
import { ForbiddenError } from '../errors';
import { assertCanActOrNotFound, canAccessCenter, decideAccess, hiddenDenialOf } from './object-access';

const actor = (role: Actor['role'], extra: Partial<Actor> = {}): Actor => ({
  id: `${role}-1`,
  role,
  ...extra,
});
const nanguanCenter = { id: 'c1', district: '南关区', centerId: 'c1' };
const gaoxinCenter = { id: 'c2', district: '高新区', centerId: 'c2' };

describe('object access', () => {
  it('lets a district office act within its district only', () => {
    const office = actor('district_office', { district: '南关区' });
    expect(canAccessCenter(office, nanguanCenter, 'write')).toBe(true);
    expect(decideAccess(office, gaoxinCenter)).toEqual({
      allowed: false,
      reason: 'object belongs to another district',
      outOfScope: true,
    });
  });

  it('lets an operator act on its own center only', () => {
    const operator = actor('operator', { centerId: 'c1' });
    expect(canAccessCenter(operator, nanguanCenter, 'write')).toBe(true);
    expect(canAccessCenter(operator, gaoxinCenter)).toBe(false);
  });

  it('denies when the scope data is missing on either side', () => {
    expect(canAccessCenter(actor('district_office'), nanguanCenter)).toBe(false);
    expect(canAccessCenter(actor('district_office', { district: '南关区' }), { id: 'x' })).toBe(false);
    expect(canAccessCenter(actor('operator'), nanguanCenter)).toBe(false);
    expect(canAccessCenter(actor('operator', { centerId: 'c1' }), { id: 'x' })).toBe(false);
  });

  it('lets an expert act on assigned applications, never on a conflicted one even if assigned', () => {
    const expert = actor('expert');
    expect(canAccessCenter(expert, { assignedExpertIds: ['expert-1'] }, 'write')).toBe(true);
    expect(canAccessCenter(expert, { assignedExpertIds: ['someone-else'] })).toBe(false);
    expect(
      canAccessCenter(expert, { assignedExpertIds: ['expert-1'], conflictedExpertIds: ['expert-1'] }),
    ).toBe(false);
  });

  it('lets an auditor read everything and change nothing', () => {
    expect(canAccessCenter(actor('auditor'), gaoxinCenter, 'read')).toBe(true);
    expect(canAccessCenter(actor('auditor'), gaoxinCenter, 'write')).toBe(false);
  });

  it('lets the bureau, finance officers and the system act city-wide, and the public on nothing', () => {
    for (const role of ['city_bureau', 'finance_officer', 'system'] as const) {
      expect(canAccessCenter(actor(role), gaoxinCenter, 'write')).toBe(true);
    }
    expect(canAccessCenter(actor('public'), gaoxinCenter)).toBe(false);
  });

  describe('assertCanActOrNotFound', () => {
    const office = actor('district_office', { district: '南关区' });
    const notFound = () => new NotFoundError('center', 'c2');
    const thrownBy = (run: () => void): unknown => {
      try {
        run();
      } catch (err) {
        return err;
      }
      return undefined;
    };

    it('throws what an unknown id gets for an object outside the scope, the denial kept for the log only', () => {
      const thrown = thrownBy(() => assertCanActOrNotFound(office, gaoxinCenter, 'read', notFound));
      expect(thrown).toBeInstanceOf(NotFoundError);
      expect(thrown).toEqual(notFound());
      expect({ ...(thrown as object) }).toEqual({ ...notFound() });
      expect(JSON.stringify(thrown)).toBe(JSON.stringify(notFound()));
      expect(hiddenDenialOf(thrown)).toEqual({
        actorId: 'district_office-1',
        role: 'district_office',
        objectId: 'c2',
        reason: 'object belongs to another district',
      });
      expect(hiddenDenialOf(notFound())).toBeUndefined();
      expect(() => assertCanActOrNotFound(office, nanguanCenter, 'write', notFound)).not.toThrow();
    });

    it.each([
      ['another center', actor('operator', { centerId: 'c1' }), gaoxinCenter],
      ['an object without a district', office, { id: 'c3', centerId: 'c3' }],
      ['an application the expert is not assigned to', actor('expert'), { id: 'a', assignedExpertIds: [] }],
      [
        'an application the expert declared a conflict with',
        actor('expert'),
        { id: 'a', assignedExpertIds: ['expert-1'], conflictedExpertIds: ['expert-1'] },
      ],
    ])('answers %s as not found', (_, who, target) => {
      expect(thrownBy(() => assertCanActOrNotFound(who, target, 'write', notFound))).toBeInstanceOf(
        NotFoundError,
      );
    });

    it('keeps 403 for what the role may never do, whatever the object', () => {
      const thrown = thrownBy(() =>
        assertCanActOrNotFound(actor('auditor'), gaoxinCenter, 'write', notFound),
      );
      expect(thrown).toBeInstanceOf(ForbiddenError);
      expect(thrown).toMatchObject({
        status: 403,
        reason: 'auditors read everything and change nothing',
        denial: { actorId: 'auditor-1', role: 'auditor', objectId: 'c2' },
      });
      expect(hiddenDenialOf(thrown)).toBeUndefined();
      expect(
        thrownBy(() => assertCanActOrNotFound(actor('public'), gaoxinCenter, 'read', notFound)),
      ).toBeInstanceOf(ForbiddenError);
    });
  });
});
