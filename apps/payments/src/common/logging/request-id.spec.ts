import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { assignRequestId, REQUEST_ID_HEADER } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function givenRequest(headers: IncomingMessage['headers'] = {}): {
  request: IncomingMessage;
  response: ServerResponse;
} {
  const request = new IncomingMessage(new Socket());
  request.headers = headers;
  return { request, response: new ServerResponse(request) };
}

describe(assignRequestId.name, () => {
  it('makes a new UUID when none comes in, and echoes it', () => {
    const { request, response } = givenRequest();
    const id = assignRequestId(request, response);
    expect(id).toMatch(UUID);
    expect(response.getHeader(REQUEST_ID_HEADER)).toBe(id);
  });

  it.each(['abc-123', 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', '1-67891233-abcdef012345678912345678', 'x'.repeat(64)])(
    'keeps the incoming id %s',
    (incoming) => {
      const { request, response } = givenRequest({ 'x-request-id': incoming });
      expect(assignRequestId(request, response)).toBe(incoming);
      expect(response.getHeader(REQUEST_ID_HEADER)).toBe(incoming);
    },
  );

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(65)],
    ['with a space', 'two words'],
    ['with markup', '<script>'],
    ['with a line break', 'a\nb'],
    ['shaped like a card number', '4111111111111111'],
    ['shaped like a spaced card number', '4111-1111-1111-1111'],
  ])('replaces an incoming id %s', (_, incoming) => {
    const { request, response } = givenRequest({ 'x-request-id': incoming });
    const id = assignRequestId(request, response);
    expect(id).toMatch(UUID);
    expect(response.getHeader(REQUEST_ID_HEADER)).toBe(id);
  });
});
