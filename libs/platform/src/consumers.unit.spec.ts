import { Logger } from '@nestjs/common';
import { groupLog } from './consumers';

describe('groupLog', () => {
  it("writes the consumer's fields with the message, so a crash says why", () => {
    const logger = new Logger('Consumers');
    const error = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    const info = jest.spyOn(logger, 'log').mockImplementation(() => undefined);
    const log = groupLog(logger, 'nqpf.finance.policy-book');
    log('error', 'consumer crashed', { error: 'This server does not host this topic-partition' });
    log('info', 'started');
    expect(error).toHaveBeenCalledWith(
      'nqpf.finance.policy-book: consumer crashed {"error":"This server does not host this topic-partition"}',
    );
    expect(info).toHaveBeenCalledWith('nqpf.finance.policy-book: started');
  });
});
