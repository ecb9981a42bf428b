import { writtenReason } from './written-reason';

describe('the written reason of a human decision', () => {
  it('reads a reason sentence', () => {
    expect(writtenReason({ reason: '材料不实' })).toBe('材料不实');
  });

  it('joins a list of reasons', () => {
    expect(writtenReason({ reasons: ['缺少协议', '面积不足'] })).toBe('缺少协议; 面积不足');
  });

  it('is null when the payload has none, an empty one, or reasons that are not sentences', () => {
    expect(writtenReason({ applicationId: 'c1' })).toBeNull();
    expect(writtenReason({ reason: null })).toBeNull();
    expect(writtenReason({ reason: '  ' })).toBeNull();
    expect(writtenReason({ reasons: [{ ruleId: 'A6.1' }] })).toBeNull();
    expect(writtenReason(null)).toBeNull();
  });
});
