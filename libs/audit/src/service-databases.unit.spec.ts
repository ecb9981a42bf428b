import { storeAt } from './service-databases';

describe('storeAt (--database-url)', () => {
  it('names a bare URL by its database', () => {
    expect(storeAt('postgres://auditor@pg.example/review?sslmode=verify-full')).toEqual({
      name: 'review',
      url: 'postgres://auditor@pg.example/review?sslmode=verify-full',
    });
  });

  it('takes the name from NAME=URL', () => {
    expect(storeAt('review=postgres://auditor@pg.example/nqpf_review_prod?sslmode=verify-full')).toEqual({
      name: 'review',
      url: 'postgres://auditor@pg.example/nqpf_review_prod?sslmode=verify-full',
    });
  });

  it('refuses what is not a PostgreSQL URL, named or not', () => {
    expect(() => storeAt('mysql://x/y')).toThrow(/postgres/);
    expect(() => storeAt('review=mysql://x/y')).toThrow();
  });
});
