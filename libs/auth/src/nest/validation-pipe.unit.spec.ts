import { BadRequestException } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, MinLength, ValidateNested } from 'class-validator';
import { MAX_INPUT_DEPTH, securityValidationPipe, unsafeInput } from './validation-pipe';

describe('securityValidationPipe', () => {
  const nested = (depth: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  };

  it('refuses input nested deeper than the limit, naming it, at any depth without overflowing', async () => {
    const pipe = securityValidationPipe();
    const refusal = pipe.transform(nested(20000), { type: 'body' });
    await expect(refusal).rejects.toBeInstanceOf(BadRequestException);
    await expect(refusal).rejects.toThrow(`is nested more than ${MAX_INPUT_DEPTH} levels deep`);
    expect(unsafeInput({ a: nested(MAX_INPUT_DEPTH) }, 'body')).toBe(
      `body.a${'.0'.repeat(MAX_INPUT_DEPTH - 1)} is nested more than ${MAX_INPUT_DEPTH} levels deep`,
    );
  });

  it('accepts input up to the depth limit', () => {
    expect(unsafeInput(nested(MAX_INPUT_DEPTH - 1), 'body')).toBeUndefined();
  });

  it('refuses a NUL character in a path parameter, a value or a key, naming where', async () => {
    const pipe = securityValidationPipe();
    await expect(pipe.transform('ab\u0000', { type: 'param', data: 'id' })).rejects.toThrow(
      'id contains a NUL character',
    );
    expect(unsafeInput({ name: ['ok', 'x\u0000'] }, 'body')).toBe('body.name.1 contains a NUL character');
    expect(unsafeInput({ content: 'x\ud800' }, 'body')).toBe(
      'body.content contains an unpaired UTF-16 surrogate',
    );
    expect(unsafeInput({ content: '\udc00x' }, 'body')).toBe(
      'body.content contains an unpaired UTF-16 surrogate',
    );
    expect(unsafeInput({ content: '长春 😀' }, 'body')).toBeUndefined();
    expect(unsafeInput({ ['k\u0000']: 1 }, 'body')).toBe('body has a key containing a NUL character');
  });

  it('passes other unicode through untouched, and refuses malformed UTF-16 naming where', async () => {
    const pipe = securityValidationPipe();
    await expect(pipe.transform('\u202E南关区😀', { type: 'param', data: 'id' })).resolves.toBe(
      '\u202E南关区😀',
    );
    await expect(pipe.transform('南关区\uD800', { type: 'param', data: 'id' })).rejects.toThrow(
      'id contains an unpaired UTF-16 surrogate',
    );
  });

  class Objector {
    @IsString()
    @MinLength(1)
    name!: string;
  }
  class Objection {
    @ValidateNested()
    @Type(() => Objector)
    objector!: Objector;

    @IsInt()
    count!: number;
  }

  it("refuses a DTO's bad input as invalid_input naming the first property refused, nested ones by their path", async () => {
    const refuse = async (body: unknown) => {
      const refusal = await securityValidationPipe()
        .transform(body, { type: 'body', metatype: Objection })
        .catch((err: BadRequestException) => err);
      expect(refusal).toBeInstanceOf(BadRequestException);
      return (refusal as BadRequestException).getResponse();
    };
    expect(await refuse({ objector: { name: '' }, count: 1 })).toEqual({
      statusCode: 400,
      error: 'invalid_input',
      message: 'objector.name must be longer than or equal to 1 characters',
      field: 'objector.name',
    });
    expect(await refuse({ objector: { name: 'x' }, count: 'many', extra: 1 })).toMatchObject({
      field: 'extra',
      message: 'property extra should not exist; count must be an integer number',
    });
  });
});
