// The channels module's configuration section (its own schema; the hub config composes it).
import { z } from 'zod';

export const ChannelsConfig = z.object({});
export type ChannelsConfig = z.infer<typeof ChannelsConfig>;
