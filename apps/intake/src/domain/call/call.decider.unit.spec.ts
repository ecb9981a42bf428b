import { IllegalTransitionError, InvalidInputError, foldEvents } from '@nqpf/domain';
import { callDecider, CallCommand, CallEvent } from './call.decider';

const open: CallCommand = {
  kind: 'open',
  callId: 'c1',
  year: 2026,
  opensOn: '2026-03-01',
  closesOn: '2026-04-30',
  today: '2026-02-20',
};

function given(events: CallEvent[]) {
  return { when: (command: CallCommand) => callDecider.decide(command, foldEvents(callDecider, events)) };
}

describe('call decider (A7)', () => {
  it('opens a call with its window', () => {
    expect(given([]).when(open)).toEqual([
      {
        type: 'intake.call-opened',
        schemaVersion: 1,
        payload: { callId: 'c1', year: 2026, opensOn: '2026-03-01', closesOn: '2026-04-30' },
      },
    ]);
  });

  it('opens a window from the year before the call to the year after it (a winter call)', () => {
    const winter = { ...open, opensOn: '2025-11-01', closesOn: '2027-12-31' } as CallCommand;
    expect(given([]).when(winter)[0]!.payload).toMatchObject({ opensOn: '2025-11-01' });
  });

  it('refuses a window that has already ended, and records one announced earlier while it runs (A7)', () => {
    const ended = { ...open, today: '2026-05-01' } as CallCommand;
    const error = (() => {
      try {
        given([]).when(ended);
      } catch (e) {
        return e as InvalidInputError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field: 'closesOn' });
    expect(error!.message).toContain('today is 2026-05-01');
    expect(given([]).when({ ...open, today: '2026-04-30' } as CallCommand)).toHaveLength(1);
  });

  it('refuses to open a call twice', () => {
    const opened = given([]).when(open);
    expect(() => given(opened).when(open)).toThrow(IllegalTransitionError);
  });

  it.each([
    ['opensOn', { opensOn: '2026-02-30' }],
    ['opensOn', { opensOn: '2026-13-01' }],
    ['opensOn', { opensOn: '2026-00-10' }],
    ['closesOn', { closesOn: '2026-99-99' }],
    ['closesOn', { closesOn: '2026-02-28' }],
    ['year', { year: 1999 }],
    // A window far from the call's year is a typo (2062 for 2026), not a call open for decades.
    ['opensOn', { opensOn: '0001-01-01' }],
    ['opensOn', { opensOn: '2024-12-31' }],
    ['closesOn', { closesOn: '2062-04-30' }],
    ['closesOn', { closesOn: '2028-01-01' }],
  ])('names the bad field %s', (field, patch) => {
    expect(() => given([]).when({ ...open, ...patch } as CallCommand)).toThrow(
      expect.objectContaining({ field }) as InvalidInputError,
    );
  });

  it('closes an open call, and only an open one', () => {
    const opened = given([]).when(open);
    const closed = given(opened).when({ kind: 'close', callId: 'c1', closedOn: '2026-05-01' });
    expect(closed).toEqual([
      {
        type: 'intake.call-closed',
        schemaVersion: 1,
        payload: { callId: 'c1', closedOn: '2026-05-01' },
      },
    ]);
    expect(() =>
      given([...opened, ...closed]).when({ kind: 'close', callId: 'c1', closedOn: '2026-05-02' }),
    ).toThrow('cannot close call when call closed');
  });

  it('wants a reason to close a call on or before its last day (A7), and records it', () => {
    const opened = given([]).when(open);
    for (const closedOn of ['2026-04-01', '2026-04-30'])
      for (const reason of [undefined, ' '])
        expect(() => given(opened).when({ kind: 'close', callId: 'c1', closedOn, reason })).toThrow(
          expect.objectContaining({
            field: 'reason',
            message:
              'reason: A7: closing the call before its window ends (closesOn 2026-04-30) needs a reason',
          }) as InvalidInputError,
        );
    const early = given(opened).when({
      kind: 'close',
      callId: 'c1',
      closedOn: '2026-04-30',
      reason: ' 预算调整 ',
    });
    expect(early[0]!.payload).toEqual({ callId: 'c1', closedOn: '2026-04-30', reason: '预算调整' });
  });
});
