// The wire shape of a sentence's place in the serverErrors catalog (its key and params), as errors and
// the hub's agent directory carry it next to the English sentence.
import { z } from 'zod';

export const SentenceKey = z.object({
  key: z.string().max(100),
  params: z.record(z.string().max(100), z.union([z.string().max(10_000), z.number()])),
});
export type SentenceKey = z.infer<typeof SentenceKey>;
