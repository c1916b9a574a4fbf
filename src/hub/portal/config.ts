// The portal module's configuration section (its own schema; the hub config composes it).
import { z } from 'zod';

export const PortalConfig = z.object({});
export type PortalConfig = z.infer<typeof PortalConfig>;
