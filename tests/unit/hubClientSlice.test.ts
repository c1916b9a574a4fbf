// The workspace's hub slice and its wording: who is viewing or typing, when the reply box is
// softly locked and how "Reply anyway" lifts it until the other draft is gone, the offer headline
// and its countdown, offers kept soonest-to-expire first.
import { beforeEach, describe, expect, it } from 'vitest';
import { collisionText, offerHeadline, replyLockHolders, secondsLeft, useHubStore } from '../../src/renderer/src/state/hub';
import type { OfferView } from '../../src/shared/contractHub';

const sam = { agentId: 2, displayName: 'Sam', typing: false, drafting: false };
const lee = { agentId: 3, displayName: 'Lee', typing: false, drafting: false };

const offer = (offerId: number, expiresAt: number): OfferView => ({
  offerId,
  conversationId: offerId + 100,
  channel: 'chat',
  customerName: 'Dana',
  subject: 'Where is my order?',
  priority: 'normal',
  vip: false,
  expiresAt,
  receivedAt: expiresAt - 30_000,
  reasons: [],
});

beforeEach(() => {
  useHubStore.setState({ offers: [], collisions: {}, overrides: {}, customerTyping: {} });
});

describe('collision wording', () => {
  it('says who is viewing, and who is typing first', () => {
    expect(collisionText([])).toBeNull();
    expect(collisionText([sam])).toBe('Sam is viewing');
    expect(collisionText([sam, lee])).toBe('Sam and Lee are viewing');
    expect(collisionText([sam, { ...lee, typing: true, drafting: true }])).toBe('Lee is typing…');
  });

  it('locks the reply box while someone else drafts, unless the agent chose to reply anyway', () => {
    expect(replyLockHolders([sam], false)).toEqual([]);
    expect(replyLockHolders([{ ...sam, drafting: true }], false)).toEqual(['Sam']);
    expect(replyLockHolders([{ ...sam, drafting: true }], true)).toEqual([]);
  });

  it('forgets "Reply anyway" once the other draft is gone, so the next draft locks again', () => {
    const hub = useHubStore.getState();
    hub.applyCollision(7, [{ ...sam, drafting: true }]);
    hub.replyAnyway(7);
    expect(useHubStore.getState().overrides[7]).toBe(true);
    hub.applyCollision(7, [{ ...sam, drafting: true, typing: true }]);
    expect(useHubStore.getState().overrides[7]).toBe(true);
    hub.applyCollision(7, [sam]);
    expect(useHubStore.getState().overrides[7]).toBeUndefined();
  });
});

describe('offers', () => {
  it('reads like "New chat from Dana: “Where is my order?”" and counts down to the expiry', () => {
    expect(offerHeadline(offer(1, 0), 'Chat')).toBe('New chat from Dana: “Where is my order?”');
    expect(offerHeadline({ channel: 'sms', customerName: '+1 415 867 5310', subject: '' }, 'SMS')).toBe('New SMS message from +1 415 867 5310');
    expect(secondsLeft(10_000, 0)).toBe(10);
    expect(secondsLeft(10_000, 9_001)).toBe(1);
    expect(secondsLeft(10_000, 12_000)).toBe(0);
  });

  it('keeps offers soonest to expire first and drops a withdrawn one', () => {
    const hub = useHubStore.getState();
    hub.applyOffer(offer(1, 5_000));
    hub.applyOffer(offer(2, 3_000));
    hub.applyOffer(offer(1, 5_000));
    expect(useHubStore.getState().offers.map((o) => o.offerId)).toEqual([2, 1]);
    hub.applyWithdrawn(2);
    expect(useHubStore.getState().offers.map((o) => o.offerId)).toEqual([1]);
  });
});
