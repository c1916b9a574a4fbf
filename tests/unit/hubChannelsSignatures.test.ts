// The providers' signature schemes checked against published examples, and the small pure rules
// of the channels module: opt-out keywords, delivery states, the rate bucket, the config defaults.
import { createHmac } from 'node:crypto';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { ChannelsConfig, missingSettings } from '../../src/hub/channels/config';
import { refillBucket } from '../../src/hub/channels/filter';
import { metaSignature } from '../../src/hub/channels/meta';
import { publicAcknowledgment } from '../../src/hub/channels/pipeline';
import { deliveryOf, optKeyword, signedUrl } from '../../src/hub/channels/twilio';
import { xSignature } from '../../src/hub/channels/x';

describe("Twilio's request validation, as the inbound webhook uses it", () => {
  // The example from Twilio's "Webhooks security" documentation (and its helper libraries' docs).
  const authToken = '12345';
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };

  it("accepts Twilio's published example signature and refuses it for altered parameters", () => {
    expect(twilio.validateRequest(authToken, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url, params)).toBe(true);
    expect(twilio.validateRequest(authToken, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url, { ...params, Digits: '1235' })).toBe(false);
    expect(twilio.validateRequest('54321', 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url, params)).toBe(false);
  });

  it("accepts the twilio library's published JSON-body example (bodySHA256 in the signed URL)", () => {
    const body = '{"property": "value", "boolean": true}';
    const hash = '0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620';
    expect(twilio.getExpectedBodyHash(body)).toBe(hash);
    expect(twilio.validateRequestWithBody(authToken, 'a9nBmqA0ju/hNViExpshrM61xv4=', `${url}&bodySHA256=${hash}`, body)).toBe(true);
    expect(twilio.validateRequestWithBody(authToken, 'a9nBmqA0ju/hNViExpshrM61xv4=', `${url}&bodySHA256=${hash}`, body.replace('value', 'other'))).toBe(false);
  });

  it('checks the signature over the public URL the hub is configured with, path and query kept', () => {
    expect(signedUrl('https://support.example.com/', new URL('http://127.0.0.1:4871/webhooks/twilio/sms?x=1'))).toBe('https://support.example.com/webhooks/twilio/sms?x=1');
  });
});

describe('Meta and X signatures', () => {
  // RFC 4231 test case 2: the HMAC-SHA256 both providers sign with, over a published vector.
  const key = 'Jefe';
  const data = 'what do ya want for nothing?';
  const digest = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';

  it('Meta signs with sha256= and the hex HMAC-SHA256 of the raw body', () => {
    expect(metaSignature(key, data)).toBe(`sha256=${digest}`);
  });

  it('X answers the CRC and signs events with sha256= and the base64 HMAC-SHA256', () => {
    expect(xSignature(key, data)).toBe(`sha256=${Buffer.from(digest, 'hex').toString('base64')}`);
    expect(xSignature('secret', 'crc-token')).toBe(`sha256=${createHmac('sha256', 'secret').update('crc-token').digest('base64')}`);
  });
});

describe('SMS opt-out keywords', () => {
  it("recognizes Twilio's default opt-out, opt-in and help keywords in any case, as the whole message", () => {
    expect(['STOP', 'stop', ' Unsubscribe ', 'cancel', 'END', 'quit', 'STOPALL', 'optout', 'Stop.'].map((w) => optKeyword(w))).toEqual(Array(9).fill('stop'));
    expect(['START', 'yes', 'Unstop'].map((w) => optKeyword(w))).toEqual(['start', 'start', 'start']);
    expect(optKeyword('help')).toBe('help');
    expect(optKeyword('please stop sending me coupons')).toBeNull();
    expect(optKeyword('ok', 'STOP')).toBe('stop');
  });
});

describe('delivery states from Twilio status callbacks', () => {
  it('maps sent, delivered and failures; steps before sending change nothing', () => {
    expect(deliveryOf('delivered')).toEqual({ status: 'delivered', detail: null });
    expect(deliveryOf('undelivered', '30005')).toEqual({ status: 'failed', detail: { key: 'smsReportedUndeliveredCode', params: { code: '30005' }, message: 'Twilio reports the SMS undelivered (error 30005).' } });
    expect(deliveryOf('failed')?.detail?.message).toBe('Twilio reports the SMS failed.');
    expect(deliveryOf('queued')).toBeNull();
    expect(deliveryOf('sending')).toBeNull();
  });
});

describe('the per-sender rate bucket', () => {
  it('starts full, refills at the configured rate up to the burst, and ignores a clock going backwards', () => {
    expect(refillBucket(null, 1_000, 10, 6)).toEqual({ tokens: 10, updatedAt: 1_000 });
    expect(refillBucket({ tokens: 0, updatedAt: 0 }, 30_000, 10, 6)).toEqual({ tokens: 3, updatedAt: 30_000 });
    expect(refillBucket({ tokens: 9, updatedAt: 0 }, 3_600_000, 10, 6).tokens).toBe(10);
    expect(refillBucket({ tokens: 2, updatedAt: 50_000 }, 10_000, 10, 6)).toEqual({ tokens: 2, updatedAt: 50_000 });
  });
});

describe('channels configuration', () => {
  it('keeps every provider off until its credentials are set, and says which settings are missing', () => {
    const config = ChannelsConfig.parse({ twilio: { accountSid: 'AC1' } });
    expect(missingSettings(config, 'twilio')).toEqual(['channels.twilio.authToken', 'channels.twilio.fromNumber']);
    expect(missingSettings(config, 'x')).toHaveLength(3);
    expect(config.meta.graphBaseUrl).toBe('https://graph.facebook.com');
    expect(config.x.apiBaseUrl).toBe('https://api.x.com');
    expect(config.autoReply.sms.insideHours).toBe("Thanks for reaching out! We'll respond within 4 hours.");
  });

  it('refuses a spam pattern that is not a regular expression and a bad calendar, naming the setting', () => {
    const bad = ChannelsConfig.safeParse({ filter: { spamPatterns: ['(unclosed'] }, autoReply: { sms: { hours: { id: 'x', timeZone: 'Mars/Base', weekly: '24/7' } } } });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('filter.spamPatterns.0');
    expect(paths).toContain('autoReply.sms.hours.timeZone');
  });

  it('drafts a public acknowledgment that names the person and moves to private messages', () => {
    expect(publicAcknowledgment('x', 'Robin')).toBe("Sorry to hear that, Robin. We've sent you a private message so we can sort this out.");
    expect(publicAcknowledgment('messenger', null)).toBe("Sorry to hear that. We've sent you a private message so we can sort this out.");
  });
});
