// The widget module's configuration section (its own schema; the hub config composes it).
import { z } from 'zod';

export const WidgetConfig = z.object({});
export type WidgetConfig = z.infer<typeof WidgetConfig>;
