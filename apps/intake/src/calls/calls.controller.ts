import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, uuidv7 } from '@nqpf/contracts';
import { CurrentActor, Public, Roles } from '@nqpf/auth';
import { AggregateRepository, Clock, CorrelationId } from '@nqpf/platform';
import { callTakesSubmissionsOn, shanghaiToday } from '@nqpf/rules';
import { InvalidInputError, NotFoundError } from '@nqpf/domain';
import { callDecider } from '../domain/call/call.decider';
import { callStream, CallView } from './call.handlers';
import { CloseCallDto, OpenCallDto } from './open-call.dto';
import { CloseCallCommand, OpenCallCommand } from './open-call.command';

/** Call ids are UUIDs; anything else is a 400 `invalid_input` naming the parameter. */
const CALL_ID = new ParseUUIDPipe({
  exceptionFactory: () => new InvalidInputError('callId', 'must be a UUID'),
});

@ApiTags('calls (A7)')
@ApiBearerAuth()
@Controller('calls')
export class CallsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly repository: AggregateRepository,
    private readonly clock: Clock,
  ) {}

  /** A7: the bureau opens a call for a year; applications are accepted only while it is open. */
  @Post()
  @Roles('city_bureau')
  @ApiCreatedResponse({
    description: 'call opened',
    schema: { example: { callId: '0193…', status: 'open', version: 1 } },
  })
  openCall(
    @Body() body: OpenCallDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() correlationId?: string,
  ): Promise<CallView> {
    return this.commands.execute(
      new OpenCallCommand(body.year, body.opensOn, body.closesOn, actor, correlationId ?? uuidv7()),
    );
  }

  @Post(':callId/close')
  @HttpCode(200)
  @Roles('city_bureau')
  @ApiOkResponse({ description: 'call closed' })
  @ApiBadRequestResponse({ description: 'closed before its window ends without a reason (A7)' })
  @ApiConflictResponse({ description: 'the call is not open' })
  closeCall(
    @Param('callId', CALL_ID) callId: string,
    @Body() body: CloseCallDto,
    @CurrentActor() actor: Actor,
    @CorrelationId() correlationId?: string,
  ): Promise<CallView> {
    return this.commands.execute(new CloseCallCommand(callId, body.reason, actor, correlationId ?? uuidv7()));
  }

  /**
   * Calls are public notices (申报认定通知). `status` is the record's (open until the bureau closes it);
   * `takesSubmissionsToday` says whether a submission today would be accepted (A7: inside the window).
   */
  @Get(':callId')
  @Public()
  @ApiOkResponse({ description: 'the call, its window, and whether it takes submissions today' })
  async getCall(@Param('callId', CALL_ID) callId: string) {
    const { state, version } = await this.repository.load(callDecider, callStream(callId));
    if (state.status === 'none') throw new NotFoundError('call', callId);
    const today = shanghaiToday(this.clock.now());
    return { ...state, version, takesSubmissionsToday: callTakesSubmissionsOn(state, today) };
  }
}
