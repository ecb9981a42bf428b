/**
 * Each request refused as bad input: a 400 `invalid_input` naming the field its expected message begins with
 * (`'<field>: …'`) and saying that message. `refusals` maps what to send (a path, a query) to the message;
 * `send` sends it.
 */
export async function expectRefusedAsInvalid(
  refusals: Record<string, string>,
  send: (request: string) => PromiseLike<{ status: number; body: unknown }>,
): Promise<void> {
  for (const [request, message] of Object.entries(refusals)) {
    const res = await send(request);
    expect({ request, status: res.status, body: res.body }).toMatchObject({
      request,
      status: 400,
      body: {
        error: 'invalid_input',
        field: message.slice(0, message.indexOf(':')),
        message: expect.stringContaining(message),
      },
    });
  }
}
