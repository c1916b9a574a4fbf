// The email side of the composer: the subject prefilled as "Re: …", the cc list checked, and the
// quoted history (the customer's last message, "> " per line) appended when the agent keeps it.
import { stripReplyPrefixes } from '../cases/threading';

export function replySubjectFor(caseSubject: string): string {
  const base = stripReplyPrefixes(caseSubject.replace(/[\r\n]+/g, ' ')).replace(/\s+/g, ' ').trim();
  return base ? `Re: ${base}` : 'Re:';
}

/** Addresses from a "a@x.com, b@y.com" field; the ones that do not look like addresses are returned apart. */
export function parseCc(field: string): { addresses: string[]; invalid: string[] } {
  const parts = field
    .split(/[,;\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const addresses: string[] = [];
  const invalid: string[] = [];
  for (const p of parts) {
    if (/^[^@\s<>()"]+@[^@\s<>()"]+\.[^@\s<>()"]+$/.test(p)) {
      const lower = p.toLowerCase();
      if (!addresses.includes(lower)) addresses.push(lower);
    } else invalid.push(p);
  }
  return { addresses, invalid };
}

/** "On <when>, <who> wrote:" and the message, each line quoted, under the reply. */
export function withQuotedHistory(body: string, quoted: { authorName: string; when: string; body: string } | null): string {
  if (!quoted || !quoted.body.trim()) return body;
  const lines = quoted.body.replace(/\r\n?/g, '\n').trimEnd().split('\n').map((l) => (l ? `> ${l}` : '>'));
  return `${body.trimEnd()}\n\nOn ${quoted.when}, ${quoted.authorName} wrote:\n${lines.join('\n')}`;
}
