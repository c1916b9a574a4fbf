// Masks what leaves the store for the workspace: timeline events, search hits, queue previews and
// the timelineAppended event. Reads the privacy settings on each call (a settings row, cheap), so a
// changed rule applies to the next read. The raw text stays in the store.
import type { EventName, EventPayload } from '../../shared/contract';
import type { QueueItem, SearchHit, TimelineEvent } from '../../shared/domain';
import { maskEvent, maskQueueItem, maskSearchHit } from '../../shared/privacy/maskRecords';
import { PRIVACY_SETTINGS_KEY, PrivacySettings, withRestrictions, type RestrictedChannel } from '../../shared/privacy/settings';
import { searchWords, type Repository } from '../store/repository';

export interface Masker {
  settings(): PrivacySettings;
  event(event: TimelineEvent): TimelineEvent;
  timeline<T extends { events: TimelineEvent[] }>(page: T): T;
  search<T extends { hits: SearchHit[] }>(query: string, result: T): T;
  queueItems(items: QueueItem[]): QueueItem[];
  /** An event payload with any timeline event in it masked. */
  payload<K extends EventName>(name: K, payload: EventPayload<K>): EventPayload<K>;
}

/** The stored settings; a row that does not parse counts as the defaults (every detector on), never as "off". */
export function readPrivacySettings(repo: Pick<Repository, 'getSetting'>): PrivacySettings {
  const parsed = PrivacySettings.safeParse(repo.getSetting<unknown>(PRIVACY_SETTINGS_KEY) ?? {});
  return parsed.success ? parsed.data : PrivacySettings.parse({});
}

/** `restricted`: the channels the configuration restricts, added to the stored rules. */
export function createMasker(repo: Repository, restricted: readonly RestrictedChannel[] = []): Masker {
  const settings = () => withRestrictions(readPrivacySettings(repo), restricted);
  return {
    settings,
    event: (event) => maskEvent(event, settings()),
    timeline(page) {
      const s = settings();
      return { ...page, events: page.events.map((e) => maskEvent(e, s)) };
    },
    search(query, result) {
      const s = settings();
      const words = searchWords(query);
      return {
        ...result,
        hits: result.hits.map((hit) => {
          let body: string | undefined;
          try {
            body = repo.eventById(hit.eventId).body;
          } catch {
            body = undefined;
          }
          return maskSearchHit(hit, s, body === undefined ? undefined : { body, words });
        }),
      };
    },
    queueItems(items) {
      const s = settings();
      return items.map((i) => maskQueueItem(i, s));
    },
    payload(name, payload) {
      if (name !== 'timelineAppended') return payload;
      const p = payload as EventPayload<'timelineAppended'>;
      return { ...p, event: maskEvent(p.event, settings()) } as EventPayload<typeof name>;
    },
  };
}
