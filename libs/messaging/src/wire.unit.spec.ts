import { fromWire } from './wire';

const wire = (json: string) => Buffer.from(json);

describe('fromWire', () => {
  it.each([
    ['a NUL', '{"a":"x\\u0000y"}'],
    ['an unpaired high surrogate', '{"a":"\\ud800"}'],
    ['an unpaired high surrogate, upper case', '{"a":"\\uD83D x"}'],
    ['a low surrogate after no high one', '{"a":"x\\udc00"}'],
    ['a NUL after an escaped backslash and another escape', '{"a":"\\\\\\u0000"}'],
  ])('refuses %s, which PostgreSQL cannot store', (_, json) => {
    expect(() => fromWire(wire(json))).toThrow('NUL or an unpaired UTF-16 surrogate');
  });

  it.each([
    ['a surrogate pair as escapes', '{"a":"\\ud83d\\ude00"}'],
    ['the characters themselves', JSON.stringify({ a: '😀 中文 é' })],
    ['the text \\u0000 (an escaped backslash)', JSON.stringify({ a: '\\u0000' })],
    ['other escapes', '{"a":"\\u00e9\\n\\t"}'],
  ])('reads %s', (_, json) => {
    expect(fromWire(wire(json))).toEqual(JSON.parse(json));
  });
});
