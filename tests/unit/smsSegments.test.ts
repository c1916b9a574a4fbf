import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countSmsSegments, isGsm7, segmentLabel } from '../../src/shared/composer/smsSegments';

describe('SMS segments', () => {
  it('fits 160 plain GSM-7 characters in one segment and starts a second at 161', () => {
    expect(countSmsSegments('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSmsSegments('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', units: 161, segments: 2 });
  });

  it('splits long GSM-7 text into segments of 153', () => {
    expect(countSmsSegments('a'.repeat(306)).segments).toBe(2);
    expect(countSmsSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('fits 70 UCS-2 characters in one segment and starts a second at 71, in segments of 67', () => {
    expect(countSmsSegments('ж'.repeat(70))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(countSmsSegments('ж'.repeat(71))).toMatchObject({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(countSmsSegments('ж'.repeat(134)).segments).toBe(2);
    expect(countSmsSegments('ж'.repeat(135)).segments).toBe(3);
  });

  it('turns the whole message into UCS-2 for one character outside the GSM alphabet', () => {
    const text = `${'a'.repeat(100)}🙂`;
    expect(isGsm7(text)).toBe(false);
    // The emoji is a surrogate pair: two UCS-2 units.
    expect(countSmsSegments(text)).toMatchObject({ encoding: 'UCS-2', units: 102, segments: 2 });
  });

  it('counts extension characters (€ [ ] { } ^ ~ | \\) as two septets', () => {
    expect(countSmsSegments('€')).toMatchObject({ encoding: 'GSM-7', units: 2, segments: 1 });
    expect(countSmsSegments('€'.repeat(80))).toMatchObject({ units: 160, segments: 1 });
    expect(countSmsSegments(`${'€'.repeat(80)}a`)).toMatchObject({ units: 161, segments: 2 });
    expect(countSmsSegments('a'.repeat(159) + '{').segments).toBe(2);
  });

  it('never splits an escape pair across two segments', () => {
    // 152 septets, then a two-septet "€": it cannot straddle the 153 boundary, so it opens segment 2.
    const text = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(countSmsSegments(text)).toMatchObject({ units: 306, segments: 3 });
  });

  it('keeps accented letters of the GSM alphabet in GSM-7 and others in UCS-2', () => {
    expect(countSmsSegments('é à ü Ñ ß').encoding).toBe('GSM-7');
    expect(countSmsSegments('ç').encoding).toBe('UCS-2');
  });

  it('shows the segment line under an SMS reply', () => {
    expect(segmentLabel(countSmsSegments('a'.repeat(200)))).toBe('2 segments (160/153 chars each)');
    expect(segmentLabel(countSmsSegments('привет'))).toBe('1 segment (70/67 chars each)');
  });

  it('never needs fewer segments than units / per-segment capacity', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), (text) => {
        const c = countSmsSegments(text);
        if (c.units === 0) return c.segments === 0;
        if (c.units <= c.single) return c.segments === 1;
        return c.segments >= Math.ceil(c.units / c.perSegment) && c.segments <= Math.ceil(c.units / (c.perSegment - 1));
      }),
    );
  });
});
