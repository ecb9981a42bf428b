import fs from 'node:fs';
import path from 'node:path';
import { EVENT_CONTRACTS } from '../../contracts/src/schemas/registry';
import {
  WRITTEN_REASON_FIELDS,
  writtenReason,
  writtenReasonFields,
  writtenReasonFieldsTable,
} from './written-reason';

describe('the written reason of a human decision', () => {
  it('reads a reason sentence', () => {
    expect(writtenReason('review.objection-upheld', { reason: '材料不实' })).toBe('材料不实');
  });

  it('joins a list of reasons', () => {
    expect(writtenReason('review.application-rejected', { reasons: ['缺少协议', '面积不足'] })).toBe(
      '缺少协议; 面积不足',
    );
  });

  it('is null when the payload has none, an empty one, or reasons that are not sentences', () => {
    expect(writtenReason('intake.application-submitted', { applicationId: 'c1' })).toBeNull();
    expect(writtenReason('assessment.assessment-completed', { reason: null })).toBeNull();
    expect(writtenReason('assessment.assessment-completed', { reason: '  ' })).toBeNull();
    expect(writtenReason('review.application-rejected', { reasons: [{ ruleId: 'A6.1' }] })).toBeNull();
    expect(writtenReason('review.application-rejected', { reasons: [' ', ''] })).toBeNull();
    expect(writtenReason('review.objection-upheld', null)).toBeNull();
  });

  // Each human decision whose text is not named `reason`/`reasons`, with the field its contract gives it.
  it.each([
    ['intake.application-endorsed', { applicationId: 'c1', opinion: '同意推荐' }, '同意推荐'],
    ['review.expert-review-recorded', { expertId: 'e1', score: 85, opinion: '服务功能齐全' }, '服务功能齐全'],
    ['review.site-inspection-recorded', { satisfactory: false, finding: '场地面积不足' }, '场地面积不足'],
    ['review.objection-investigation-started', { objectionId: 'o1', note: '约谈举报人' }, '约谈举报人'],
  ])('reads %s from the field its contract names', (type, payload, text) => {
    expect(writtenReason(type, payload)).toBe(text);
  });

  it.each([
    ['intake.application-endorsed', { opinion: '' }],
    ['review.objection-investigation-started', { note: ' ' }],
    ['intake.application-endorsed', {}],
  ])('is null for %s %j (an optional text left out or blank)', (type, payload) => {
    expect(writtenReason(type, payload)).toBeNull();
  });

  it('reads only the fields of its type: a mapped type does not fall back to `reason`, nor others to `opinion`', () => {
    expect(writtenReason('review.expert-review-recorded', { reason: 'x' })).toBeNull();
    expect(writtenReason('review.objection-upheld', { opinion: 'x' })).toBeNull();
    expect(writtenReasonFields('review.objection-dismissed')).toEqual(['reason', 'reasons']);
  });

  it('names only fields the event contracts define, as text or a list of text', () => {
    for (const [type, fields] of Object.entries(WRITTEN_REASON_FIELDS)) {
      const contract = EVENT_CONTRACTS.find((c) => c.type === type);
      expect({ type, contract: contract !== undefined }).toEqual({ type, contract: true });
      for (const field of fields) {
        const schema = contract!.payload.properties?.[field];
        const isText = schema?.type === 'string' || schema?.items?.type === 'string';
        expect({ type, field, isText }).toEqual({ type, field, isText: true });
      }
    }
  });

  it('is the table docs/audit.md gives auditors', () => {
    const docs = fs.readFileSync(path.resolve(__dirname, '../../../docs/audit.md'), 'utf8');
    expect(docs).toContain(`${writtenReasonFieldsTable()}\n`);
  });
});
