import { correlationIdOf } from './correlation-id';

it('keeps a plausible correlation id and replaces anything else with a new one', () => {
  expect(correlationIdOf('0193a0ff-7b1c-7000-8000-000000000001')).toBe(
    '0193a0ff-7b1c-7000-8000-000000000001',
  );
  expect(correlationIdOf('trace:abc.def_1')).toBe('trace:abc.def_1');
  for (const bad of ['x'.repeat(65), '', 'a b', '<script>', ['a', 'b'], undefined]) {
    const replaced = correlationIdOf(bad);
    expect(replaced).not.toBe(bad);
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
  }
});
