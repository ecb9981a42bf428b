import type { Actor } from '@nqpf/contracts';
import fc from 'fast-check';
import { decideAccess } from './object-access';
import { matchesScope, scopeFilter, scopeToSql } from './scope-filter';

const DISTRICTS = ['南关区', '高新区', '朝阳区'];
const CENTERS = ['c1', 'c2', 'c3', 'c4'];
const EXPERTS = ['e1', 'e2', 'e3'];

const rowArb = fc.record({
  id: fc.uuid(),
  district: fc.constantFrom(...DISTRICTS),
  centerId: fc.constantFrom(...CENTERS),
  assignedExpertIds: fc.subarray(EXPERTS),
  conflictedExpertIds: fc.subarray(EXPERTS),
});
const actorArb: fc.Arbitrary<Actor> = fc.oneof(
  fc.constantFrom(...DISTRICTS).map((district) => ({ id: 'd', role: 'district_office' as const, district })),
  fc.constantFrom(...CENTERS).map((centerId) => ({ id: 'o', role: 'operator' as const, centerId })),
  fc.constantFrom(...EXPERTS).map((id) => ({ id, role: 'expert' as const })),
  fc
    .constantFrom('city_bureau', 'auditor', 'finance_officer', 'public')
    .map((role) => ({ id: 'x', role }) as Actor),
);

type Row = typeof rowArb extends fc.Arbitrary<infer T> ? T : never;
/** A fake repository that turns the filter into its "WHERE" the way a real one does. */
const listScoped = (rows: Row[], actor: Actor) => rows.filter((r) => matchesScope(scopeFilter(actor), r));

describe('scopeFilter', () => {
  it('gives district offices their district, operators their center, experts themselves', () => {
    expect(scopeFilter({ id: 'd', role: 'district_office', district: '南关区' })).toEqual({
      district: '南关区',
    });
    expect(scopeFilter({ id: 'o', role: 'operator', centerId: 'c1' })).toEqual({ centerId: 'c1' });
    expect(scopeFilter({ id: 'e1', role: 'expert' })).toEqual({ expertId: 'e1' });
    expect(scopeFilter({ id: 'a', role: 'auditor' })).toBe('all');
    expect(scopeFilter({ id: 'p', role: 'public' })).toBe('none');
  });

  it('fails closed for a scoped role without its scope', () => {
    expect(scopeFilter({ id: 'd', role: 'district_office' })).toBe('none');
    expect(scopeFilter({ id: 'o', role: 'operator', centerId: null })).toBe('none');
    expect(matchesScope({}, { district: '南关区' })).toBe(false);
  });

  it('never lists a row the actor may not read, and lists every row it may', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 30 }), actorArb, (rows, actor) => {
        const listed = listScoped(rows, actor);
        const readable = rows.filter((r) => decideAccess(actor, r, 'read').allowed);
        expect(listed).toEqual(readable);
      }),
    );
  });

  it('never leaks another district into a district office list', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 30 }), fc.constantFrom(...DISTRICTS), (rows, district) => {
        const listed = listScoped(rows, { id: 'd', role: 'district_office', district });
        expect(listed.every((r) => r.district === district)).toBe(true);
      }),
    );
  });
});

describe('scopeToSql', () => {
  const columns = {
    district: 'district',
    centerId: 'center_id',
    assignedExperts: 'experts',
    conflictedExperts: 'conflicts',
  };

  it('turns each filter into a parameterised condition', () => {
    expect(scopeToSql('all', columns)).toEqual({ where: 'TRUE', params: [] });
    expect(scopeToSql('none', columns)).toEqual({ where: 'FALSE', params: [] });
    expect(scopeToSql({ district: '南关区' }, columns, 3)).toEqual({
      where: '(district = $3)',
      params: ['南关区'],
    });
    expect(scopeToSql({ expertId: 'e1' }, columns)).toEqual({
      where: "(experts @> ARRAY[$1]::text[] AND NOT ($1 = ANY(COALESCE(conflicts, '{}'))))",
      params: ['e1'],
    });
  });

  it('refuses column names that are not plain identifiers, and expert filters without expert columns', () => {
    expect(() => scopeToSql('all', { ...columns, district: 'district; drop table x' })).toThrow(
      /not a plain column/,
    );
    expect(() => scopeToSql({ expertId: 'e1' }, { district: 'd', centerId: 'c' })).toThrow(
      /expert filter needs/,
    );
  });
});
