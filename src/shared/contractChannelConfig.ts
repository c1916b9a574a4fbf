// The channel configuration's part of the renderer<->main contract (admins only; others get
// rpc/forbidden): the matrix the hub runs on with its history, and saving a new version on top of
// the one the admin opened. Export and import are files in the renderer, read with the same schema.
import { z } from 'zod';
import { ChannelMatrixHistoryEntry, ChannelMatrixVersion } from './channelConfig';

export const ChannelConfigView = z.object({ current: ChannelMatrixVersion, history: z.array(ChannelMatrixHistoryEntry) });
export type ChannelConfigView = z.infer<typeof ChannelConfigView>;

export const channelConfigRequests = {
  /** The current matrix and every saved version (who, when, what changed), newest first. */
  channelConfig: {
    input: z.object({}).strict(),
    output: ChannelConfigView,
  },
  /** Saves a new version; refused with a sentence when invalid or when someone saved after `expectedVersion`. */
  saveChannelConfig: {
    input: z.object({ expectedVersion: z.number().int().positive(), matrix: z.unknown() }).strict(),
    output: z.object({ current: ChannelMatrixVersion }),
  },
} satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export const channelConfigEvents = {
  /** A new channel configuration was applied (saved here or by another admin). */
  channelConfigChanged: z.object({ current: ChannelMatrixVersion }),
} satisfies Record<string, z.ZodType>;

export type ChannelConfigRequests = typeof channelConfigRequests;
export type ChannelConfigRequestName = keyof ChannelConfigRequests;
export type ChannelConfigParsedInput<K extends ChannelConfigRequestName> = z.output<ChannelConfigRequests[K]['input']>;
export type ChannelConfigRequestOutput<K extends ChannelConfigRequestName> = z.output<ChannelConfigRequests[K]['output']>;
