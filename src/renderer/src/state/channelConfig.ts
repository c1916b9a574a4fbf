// The channel configuration slice (admins): whether the screen is open, the version the hub runs on
// with its history, the admin's draft checked live with the shared schema (problems by field), and an
// imported file waiting as a preview. Saving sends the version the draft started from, so a save on
// top of someone else's is refused by the hub with a sentence.
import { create } from 'zustand';
import { matrixChanges, matrixInvalid, parseChannelMatrix, parseChannelMatrixFile, type ChannelMatrix, type MatrixChange, type MatrixResult } from '../../../shared/channelConfig';
import type { ChannelConfigView } from '../../../shared/contractChannelConfig';
import { getApi } from '../api';
import { t } from '../i18n';
import { messageOf } from './errors';
import { sentenceOf, storedSentenceOf } from '../serverErrors';
import { useHubStore } from './hub';
import { useSessionStore } from './session';

export interface ImportPreview {
  matrix: ChannelMatrix;
  /** What saving it would change, each line with its key (shown in the agent's language). */
  changes: MatrixChange[];
}

export interface ChannelConfigState {
  open: boolean;
  view: ChannelConfigView | null;
  draft: ChannelMatrix | null;
  /** Problems of the draft by field path ("channels.chat.firstResponseSlaSeconds"). */
  problems: Record<string, string>;
  loading: boolean;
  saving: boolean;
  error: string | null;
  notice: string | null;
  preview: ImportPreview | null;
  importError: string | null;
  openScreen(): void;
  close(): void;
  load(): Promise<void>;
  edit(change: (draft: ChannelMatrix) => void): void;
  reset(): void;
  save(matrix?: ChannelMatrix): Promise<void>;
  importText(text: string): void;
  discardImport(): void;
  applyPushed(view: ChannelConfigView['current']): void;
}

/** Why a file or a draft was refused, in the agent's language (the problems each translated, then joined). */
export function matrixRefusalOf(r: Extract<MatrixResult, { ok: false }>): string {
  if (r.problems.length === 0) return storedSentenceOf(r.message, r.text);
  return sentenceOf(matrixInvalid(r.problems.map((p) => storedSentenceOf(p.message, p.text))));
}

function problemsOf(draft: unknown): Record<string, string> {
  const r = parseChannelMatrix(draft);
  if (r.ok) return {};
  const out: Record<string, string> = {};
  for (const p of r.problems) out[p.path] ??= storedSentenceOf(p.message, p.text);
  return out;
}

export const useChannelConfigStore = create<ChannelConfigState>()((set, get) => ({
  open: false,
  view: null,
  draft: null,
  problems: {},
  loading: false,
  saving: false,
  error: null,
  notice: null,
  preview: null,
  importError: null,
  openScreen() {
    set({ open: true, notice: null, error: null });
    void get().load();
  },
  close: () => set({ open: false, preview: null, importError: null }),
  async load() {
    set({ loading: true, error: null });
    try {
      const view = await getApi().channelConfig({});
      set({ view, draft: structuredClone(view.current.matrix), problems: {}, loading: false });
    } catch (e) {
      set({ loading: false, error: messageOf(e, t('channelConfig:loadFailed')) });
    }
  },
  edit(change) {
    const draft = structuredClone(get().draft);
    if (!draft) return;
    change(draft);
    set({ draft, problems: problemsOf(draft), notice: null });
  },
  reset() {
    set({ notice: null, error: null });
    void get().load();
  },
  async save(matrix) {
    const view = get().view;
    const toSave = matrix ?? get().draft;
    if (!view || !toSave) return;
    set({ saving: true, error: null, notice: null });
    try {
      const { current } = await getApi().saveChannelConfig({ expectedVersion: view.current.version, matrix: toSave });
      set({ saving: false, preview: null, importError: null });
      await get().load();
      set({ notice: `saved:${current.version}` });
    } catch (e) {
      set({ saving: false, error: messageOf(e, t('channelConfig:saveFailed')) });
    }
  },
  importText(text) {
    const view = get().view;
    if (!view) return;
    const r = parseChannelMatrixFile(text);
    if (!r.ok) {
      set({ preview: null, importError: matrixRefusalOf(r) });
      return;
    }
    set({ preview: { matrix: r.matrix, changes: matrixChanges(view.current.matrix, r.matrix) }, importError: null });
  },
  discardImport: () => set({ preview: null, importError: null }),
  applyPushed(current) {
    const view = get().view;
    if (!view || current.version <= view.current.version) return;
    // Someone else saved: the screen says so; the draft keeps its version, so saving it is refused (Discard reloads).
    set({ notice: `pushed:${current.version}:${current.savedBy}` });
  },
}));

/** Admins only: the team hub's role when a team hub is in use, else the desktop's own user's. */
export function useIsAdmin(): boolean {
  const sessionRole = useSessionStore((s) => s.info?.agent.role ?? null);
  const hubRole = useHubStore((s) => (s.status && s.status.hubUrl !== null && !s.status.embedded ? (s.status.agent?.role ?? 'none') : null));
  const role = hubRole === null ? sessionRole : hubRole === 'none' ? null : hubRole;
  return role === 'admin';
}
