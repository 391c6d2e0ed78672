import { describe, expect, it } from '@jest/globals';
import { notificationAck } from './notification-ack';

describe(notificationAck.name, () => {
  it('acknowledges with 200 {"resultCd":"0000"} in json mode', () => {
    expect(notificationAck('json')).toEqual({
      status: 200,
      contentType: 'application/json; charset=utf-8',
      body: '{"resultCd":"0000"}',
    });
  });

  it('acknowledges with an empty 200 in http mode', () => {
    expect(notificationAck('http')).toEqual({ status: 200, body: '' });
  });

  it('hands out an answer no caller can change', () => {
    expect(Object.isFrozen(notificationAck('json'))).toBe(true);
  });
});
