import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { uuidv7 } from '@nqpf/contracts';
import { accepted, passingFacts } from '../domain/candidacy/candidacy.fixtures';
import { CandidacyCommandMessage } from './candidacy.command';

/** Opens an eligible candidacy as review's consumer of intake's acceptances does; returns its id. */
export async function openEligibleCandidacy(app: INestApplication): Promise<string> {
  const id = uuidv7();
  await app
    .get(CommandBus)
    .execute(
      new CandidacyCommandMessage(
        id,
        { kind: 'open', accepted: { ...accepted(passingFacts()), applicationId: id } },
        { id: 'review', role: 'system' },
        uuidv7(),
      ),
    );
  return id;
}
