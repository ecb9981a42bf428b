import { requireDistinctStoreNames, storeAt } from './service-databases';

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

describe('requireDistinctStoreNames', () => {
  it('refuses two stores of one name, naming them by host and database without credentials', () => {
    const a = storeAt('postgres://auditor:s3cret@pg-a.example/review');
    const b = storeAt('postgres://auditor:s3cret@pg-b.example:5433/review');
    expect(() => requireDistinctStoreNames([a, b])).toThrow(
      "2 stores named 'review' (pg-a.example/review, pg-b.example:5433/review): name each store NAME=URL",
    );
    expect(() => requireDistinctStoreNames([a, b])).not.toThrow(/s3cret/);
    const named = [storeAt(`a=${a.url}`), storeAt(`b=${b.url}`)];
    expect(requireDistinctStoreNames(named)).toEqual(named);
  });
});
