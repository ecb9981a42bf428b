import { BadRequestException } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, MinLength, ValidateNested } from 'class-validator';
import { InvalidInputError } from '@nqpf/domain';
import { MAX_ERROR_TEXT } from './security-exception.filter';
import {
  listedProblems,
  MAX_INPUT_DEPTH,
  MAX_LISTED_PROBLEMS,
  securityValidationPipe,
  unsafeInput,
} from './validation-pipe';

describe('securityValidationPipe', () => {
  const nested = (depth: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  };

  /** unsafeInput's refusal as the client reads it. */
  const refusal = (value: unknown, root = 'body') => {
    const error = unsafeInput(value, root);
    return error && { status: error.status, code: error.code, field: error.field, message: error.message };
  };

  it('refuses input nested deeper than the limit, naming it, at any depth without overflowing', async () => {
    const pipe = securityValidationPipe();
    const refused = pipe.transform(nested(20000), { type: 'body' });
    await expect(refused).rejects.toBeInstanceOf(InvalidInputError);
    await expect(refused).rejects.toThrow(`is nested more than ${MAX_INPUT_DEPTH} levels deep`);
    const field = `a${'.0'.repeat(MAX_INPUT_DEPTH - 1)}`;
    expect(refusal({ a: nested(MAX_INPUT_DEPTH) })).toEqual({
      status: 400,
      code: 'invalid_input',
      field,
      message: `${field}: is nested more than ${MAX_INPUT_DEPTH} levels deep`,
    });
  });

  it('accepts input up to the depth limit', () => {
    expect(unsafeInput(nested(MAX_INPUT_DEPTH - 1), 'body')).toBeUndefined();
  });

  it('refuses a NUL character in a path parameter, a value or a key, naming where', async () => {
    const pipe = securityValidationPipe();
    await expect(pipe.transform('ab\u0000', { type: 'param', data: 'id' })).rejects.toMatchObject({
      field: 'id',
      message: 'id: contains a NUL character',
    });
    expect(refusal({ name: ['ok', 'x\u0000'] })).toMatchObject({
      field: 'name.1',
      message: 'name.1: contains a NUL character',
    });
    expect(refusal({ content: 'x\ud800' })).toMatchObject({
      field: 'content',
      message: 'content: contains an unpaired UTF-16 surrogate',
    });
    expect(refusal({ content: '\udc00x' })).toMatchObject({ field: 'content' });
    expect(refusal({ content: '长春 😀' })).toBeUndefined();
    expect(refusal({ ['k\u0000']: 1 })).toMatchObject({
      field: 'body',
      message: 'body: has a key containing a NUL character',
    });
    expect(refusal({ body: { ['k\u0000']: 1 } })).toMatchObject({ field: 'body' });
    expect(refusal({ outer: { body: 'x\u0000' } })).toMatchObject({ field: 'outer.body' });
    expect(refusal({ district: 'x\u0000' }, 'query')).toMatchObject({ field: 'district' });
    expect(refusal({ name: 'x\u0000' }, 'objector')).toMatchObject({ field: 'objector.name' });
  });

  it('passes other unicode through untouched, and refuses malformed UTF-16 naming where', async () => {
    const pipe = securityValidationPipe();
    await expect(pipe.transform('\u202E南关区😀', { type: 'param', data: 'id' })).resolves.toBe(
      '\u202E南关区😀',
    );
    await expect(pipe.transform('南关区\uD800', { type: 'param', data: 'id' })).rejects.toMatchObject({
      field: 'id',
      message: 'id: contains an unpaired UTF-16 surrogate',
    });
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

  it('lists at most ten refused properties, each cut short, and says how many more', async () => {
    const body: Record<string, unknown> = { objector: { name: 'x' }, count: 1 };
    for (let i = 0; i < 5000; i++) body[`k${i}`] = 1;
    body['y'.repeat(30_000)] = 1;
    const refusal = await securityValidationPipe()
      .transform(body, { type: 'body', metatype: Objection })
      .catch((err: BadRequestException) => err);
    const { message, field } = (refusal as BadRequestException).getResponse() as Record<string, string>;
    expect(field).toBe('k0');
    expect(message.split('; ')).toHaveLength(MAX_LISTED_PROBLEMS + 1);
    expect(message).toMatch(
      /^property k0 should not exist; property k1 should not exist; .*; and 4991 more$/,
    );
    expect(message.length).toBeLessThan(1000);
  });

  it('keeps the list, with its "and N more", within what an error answer carries', () => {
    const long = Array.from({ length: 30 }, (_, i) => `property ${'k'.repeat(110)}${i} should not exist`);
    const message = listedProblems(long);
    expect(message).toMatch(/; and \d+ more$/);
    expect(message.length).toBeLessThan(MAX_ERROR_TEXT);
    expect(listedProblems(['x'.repeat(2000)])).toHaveLength(501);
  });
});
