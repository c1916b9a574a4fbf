// The privacy settings as data: which detectors mask which channel, and which channels are
// restricted (for example phone under HIPAA). Stored in the settings table; read on each request.
import { z } from 'zod';
import { Channel, CHANNEL_LABELS } from '../domain';
import { PII_KINDS, type MaskingRules, type PiiKind as PiiKindName } from './masking';

export const PiiKindSchema = z.enum(PII_KINDS);

export const RestrictedChannel = z.object({
  channel: Channel,
  /** Why, in a few words the export and the UI show: "HIPAA". */
  reason: z.string().trim().min(1).max(200),
});
export type RestrictedChannel = z.infer<typeof RestrictedChannel>;

export const PrivacySettings = z.object({
  /** Detectors per channel; a channel not listed gets every detector. */
  masking: z.partialRecord(Channel, z.array(PiiKindSchema)).default({}),
  restricted: z.array(RestrictedChannel).default([]),
});
export type PrivacySettings = z.infer<typeof PrivacySettings>;

export const PRIVACY_SETTINGS_KEY = 'privacy.settings';

/** The detectors that apply to a channel: all of them on a restricted channel, whatever the rules say. */
export function detectorsFor(settings: PrivacySettings, channel: Channel): readonly PiiKindName[] {
  if (restrictionOf(settings, channel)) return PII_KINDS;
  const rules: MaskingRules = settings.masking;
  return rules[channel] ?? PII_KINDS;
}

export function restrictionOf(settings: PrivacySettings, channel: Channel): RestrictedChannel | null {
  return settings.restricted.find((r) => r.channel === channel) ?? null;
}

/**
 * Restriction in the desktop configuration, per channel: `{ "phone": { "restricted": true, "reason": "HIPAA" } }`.
 * A configured channel's content is sealed at rest on the desktop (read at start), left out of
 * exports and of search. Default: no channel is restricted.
 */
export const ChannelRestrictionRules = z.partialRecord(
  Channel,
  z.strictObject({
    restricted: z.boolean().default(false),
    reason: z.string().trim().min(1).max(200).default('restricted by the configuration'),
  }),
);
export type ChannelRestrictionRules = z.output<typeof ChannelRestrictionRules>;

export function configuredRestrictions(rules: ChannelRestrictionRules): RestrictedChannel[] {
  return Object.entries(rules).flatMap(([channel, rule]) => (rule?.restricted ? [{ channel: channel as Channel, reason: rule.reason }] : []));
}

/** The stored settings with the configured restrictions added (the configuration's reason wins for its channels). */
export function withRestrictions(settings: PrivacySettings, configured: readonly RestrictedChannel[]): PrivacySettings {
  if (configured.length === 0) return settings;
  const others = settings.restricted.filter((r) => !configured.some((c) => c.channel === r.channel));
  return { ...settings, restricted: [...configured, ...others] };
}

/** What the search popover says about a restricted channel. */
export function notSearchableNote(channel: Channel): string {
  return `${CHANNEL_LABELS[channel]} is restricted: its content is not searchable on this desktop.`;
}
