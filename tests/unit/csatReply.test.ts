import { describe, expect, it } from 'vitest';
import { csatSummary, parseRatingReply } from '../../src/shared/csat';

describe('a text reply to "How did we do? Reply 1–5"', () => {
  it('is a rating when it is just the score, however it is written', () => {
    const cases: Array<[string, number]> = [
      ['4', 4],
      [' 5 ', 5],
      ['5!', 5],
      ['1.', 1],
      ['five', 5],
      ['Three', 3],
      ['4/5', 4],
      ['5 out of 5', 5],
      ['2 stars', 2],
      ['5 ⭐', 5],
      ['５', 5],
    ];
    for (const [text, rating] of cases) expect(parseRatingReply(text), text).toBe(rating);
  });

  it('is an ordinary message when it says anything more, or a number outside 1–5', () => {
    for (const text of ['0', '6', '10', '45', '5 items are missing', "I'd give it 2 but the parcel is lost", 'yes', '', '   ', 'stop', '3.5', '-4']) {
      expect(parseRatingReply(text), text).toBeNull();
    }
  });

  it('reads on the timeline as "Rated N out of 5", with the comment when there is one', () => {
    expect(csatSummary(5, null)).toBe('Rated 5 out of 5.');
    expect(csatSummary(4, '  Quick, thanks ')).toBe('Rated 4 out of 5: “Quick, thanks”');
  });
});

describe('the survey email\'s HTML alternative', () => {
  it('turns the rating links into links, leaving trailing punctuation and other text alone', async () => {
    const { textToHtml } = await import('../../src/main/email/smtpSender');
    const html = textToHtml('Rate us:\n  5 (excellent): https://hub.example/csat/1.ab.x_y?score=5\nOr see https://hub.example/portal. <b>bold</b>');
    expect(html).toContain('<a href="https://hub.example/csat/1.ab.x_y?score=5">https://hub.example/csat/1.ab.x_y?score=5</a><br>');
    expect(html).toContain('<a href="https://hub.example/portal">https://hub.example/portal</a>. &lt;b&gt;bold&lt;/b&gt;');
    expect(textToHtml('See <https://x.example/a?b=1&c=2>')).toContain('&lt;<a href="https://x.example/a?b=1&amp;c=2">https://x.example/a?b=1&amp;c=2</a>&gt;');
    expect(textToHtml('a &amp; b')).toBe('<!doctype html><html><body><p>a &amp;amp; b</p></body></html>');
  });
});
