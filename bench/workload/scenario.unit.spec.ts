import { scenarioDigest } from './digest';
import { DISTRICTS } from './districts';
import { buildScenario } from './scenario';

describe('workload scenario', () => {
  it('is the same step list, digest for digest, for the same seed', () => {
    const a = buildScenario({ seed: 42, centers: 40 });
    const b = buildScenario({ seed: 42, centers: 40 });
    expect(scenarioDigest(a)).toBe(scenarioDigest(b));
    expect(a.steps).toEqual(b.steps);
  });

  it('differs for another seed', () => {
    expect(scenarioDigest(buildScenario({ seed: 42, centers: 40 }))).not.toBe(
      scenarioDigest(buildScenario({ seed: 43, centers: 40 })),
    );
  });

  it('keeps steps in day order and every center inside the fifteen district units', () => {
    const { steps, centers, endDay } = buildScenario({ seed: 1, centers: 30 });
    for (let i = 1; i < steps.length; i++) expect(steps[i - 1]!.day <= steps[i]!.day).toBe(true);
    expect(steps.at(-1)!.day <= endDay).toBe(true);
    expect(new Set(centers.map((c) => c.district.code)).size).toBe(15);
    expect(DISTRICTS.map((d) => d.code)).toContain('220102');
  });

  it('stops a revoked center at its revocation and never spends more than was disbursed', () => {
    const { centers, steps } = buildScenario({ seed: 5, centers: 300 });
    const revoked = centers.find((c) => c.outcome === 'revoked');
    expect(revoked).toBeDefined();
    const last = steps.filter((s) => s.centerId === revoked!.centerId).at(-1)!;
    expect(last.kind).toBe('assess');
    for (const c of centers) expect(c.spent <= c.disbursed && c.disbursed <= c.granted).toBe(true);
  });
});
