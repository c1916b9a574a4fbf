// The agents an "@" in an internal note can name, under the note box. The note box keeps the focus
// (a combobox): arrow keys move the highlighted agent, Enter or Tab picks, Escape closes.
import { useTranslation } from 'react-i18next';

export interface MentionCandidate {
  id: number;
  name: string;
}

export function MentionList({ id, agents, active, onPick }: { id: string; agents: MentionCandidate[]; active: number; onPick: (agent: MentionCandidate) => void }) {
  const { t } = useTranslation('composer');
  if (agents.length === 0) return null;
  return (
    <ul id={id} role="listbox" aria-label={t('mention')} className="mention-list">
      {agents.map((a, i) => (
        <li
          key={a.id}
          id={`${id}-${a.id}`}
          role="option"
          aria-selected={i === active}
          className={`mention-option${i === active ? ' is-active' : ''}`}
          onMouseDown={(e) => {
            e.preventDefault();
            onPick(a);
          }}
        >
          @{a.name}
        </li>
      ))}
    </ul>
  );
}
