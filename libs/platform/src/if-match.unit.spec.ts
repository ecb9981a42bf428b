import 'reflect-metadata';
import { TAKES_IF_MATCH } from '@nqpf/auth';
import { IfMatch, ifMatchVersion, TakesIfMatch } from './if-match';

class Routes {
  @TakesIfMatch()
  documented() {}

  read(@IfMatch() _version?: number) {}

  neither() {}
}

describe('If-Match', () => {
  it('marks a route taking it, by @TakesIfMatch() or by reading it with @IfMatch(), for UnreadInputGuard', () => {
    const marked = (name: keyof Routes) => Reflect.getMetadata(TAKES_IF_MATCH, Routes.prototype[name]);
    expect(marked('documented')).toBe(true);
    expect(marked('read')).toBe(true);
    expect(marked('neither')).toBeUndefined();
  });

  it('reads the version as the ETag or the version field gave it, and none from an empty header or *', () => {
    expect(ifMatchVersion('"3"')).toBe(3);
    expect(ifMatchVersion('3')).toBe(3);
    expect(ifMatchVersion(undefined)).toBeUndefined();
    expect(ifMatchVersion('')).toBeUndefined();
    expect(ifMatchVersion('*')).toBeUndefined();
    expect(() => ifMatchVersion('W/"3"')).toThrow('If-Match: must be the version you read');
  });
});
