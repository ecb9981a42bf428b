import { UnauthenticatedError } from '../errors';
import { bearerToken } from './bearer';

describe('bearerToken', () => {
  it('takes the token of a Bearer header, any case', () => {
    expect(bearerToken('Bearer a.b.c')).toBe('a.b.c');
    expect(bearerToken('bearer a.b.c')).toBe('a.b.c');
  });

  it('is undefined without a header and refuses other schemes', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(() => bearerToken('Basic dTpw')).toThrow(UnauthenticatedError);
    expect(() => bearerToken('Bearer a b')).toThrow(UnauthenticatedError);
  });
});
