// The pure parts of the workspace's desktop slice: zoom steps, pane width limits, the sentence of a
// main-process error, and the `?open=` parameter a headless page is opened with.
import { describe, expect, it } from 'vitest';
import { clampPaneWidth, mainErrorText, nextZoom, openParameter } from '../../src/renderer/src/state/desktop';

describe('zoom steps', () => {
  it('goes in and out by tenths without floating-point drift', () => {
    let z = 1;
    for (let i = 0; i < 3; i++) z = nextZoom(z, 1);
    expect(z).toBe(1.3);
    for (let i = 0; i < 5; i++) z = nextZoom(z, -1);
    expect(z).toBe(0.8);
  });

  it('stops at 50 % and 200 %, and Ctrl+0 resets to 100 %', () => {
    let z = 1;
    for (let i = 0; i < 30; i++) z = nextZoom(z, 1);
    expect(z).toBe(2);
    for (let i = 0; i < 30; i++) z = nextZoom(z, -1);
    expect(z).toBe(0.5);
    expect(nextZoom(1.7, 0)).toBe(1);
  });
});

describe('pane widths', () => {
  it('stay between 200 and 720 pixels, whole pixels', () => {
    expect(clampPaneWidth(120)).toBe(200);
    expect(clampPaneWidth(5000)).toBe(720);
    expect(clampPaneWidth(333.6)).toBe(334);
  });
});

describe('an error in main', () => {
  it('tells the agent the app keeps running and where the details are, without a stack', () => {
    const text = mainErrorText('The outbox could not be read.\n');
    expect(text).toBe('Something went wrong in Omni Desk: The outbox could not be read. The app keeps running; details in the crash log.');
    expect(mainErrorText('')).toContain('an unexpected error');
  });
});

describe('the ?open= parameter', () => {
  it('is the link the page was opened with, decoded', () => {
    expect(openParameter('?open=omni%3A%2F%2Fcase%2F123')).toBe('omni://case/123');
    expect(openParameter('?view=mine&open=tel%3A%2B14155550142')).toBe('tel:+14155550142');
    expect(openParameter('?open=')).toBeNull();
    expect(openParameter('')).toBeNull();
  });
});
