import { IllegalTransitionError, InvalidInputError, foldEvents } from '@nqpf/domain';
import { callDecider, CallCommand, CallEvent } from './call.decider';

const open: CallCommand = {
  kind: 'open',
  callId: 'c1',
  year: 2026,
  opensOn: '2026-03-01',
  closesOn: '2026-04-30',
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
    const closed = given(opened).when({ kind: 'close', callId: 'c1', closedOn: '2026-04-01' });
    expect(closed[0]!.type).toBe('intake.call-closed');
    expect(() =>
      given([...opened, ...closed]).when({ kind: 'close', callId: 'c1', closedOn: '2026-04-02' }),
    ).toThrow('cannot close call when call closed');
  });
});
