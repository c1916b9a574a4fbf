// The live console's alerts: which a new team snapshot raises (new SLA risks and breaches, outages;
// once each, none for the first snapshot), and how the desktop app's notification rules show them.
import { describe, expect, it } from 'vitest';
import { NotificationPlanner, NotificationSettings } from '../../src/main/desktop/notificationRules';
import { supervisorAlert } from '../../src/main/desktop/queueWatch';
import type { SupervisorSnapshot } from '../../src/shared/hub/agentProtocol';
import { newConsoleAlerts } from '../../src/shared/supervisor/consoleAlerts';

const T = 1_800_000_000_000;
type Waiting = SupervisorSnapshot['waiting'][number];
const wait = (conversationId: number, sla: Waiting['sla'], contact = `Customer ${conversationId}`): Waiting => ({ conversationId, channel: 'chat', contact, subject: null, waitingSince: T, sla });
const snap = (waiting: Waiting[], outages: SupervisorSnapshot['outages'] = []): SupervisorSnapshot => ({ agents: [], queues: [], waiting, assigned: [], outages, at: T });

describe('live console alerts', () => {
  it('raises nothing for the first snapshot, then each new risk, breach and outage once', () => {
    const first = snap([wait(1, 'breached'), wait(2, 'ok')]);
    expect(newConsoleAlerts(null, first)).toEqual([]);
    const second = snap([wait(1, 'breached'), wait(2, 'atRisk'), wait(3, 'ok')], [{ channel: 'sms', since: T - 60_000, detail: 'Twilio answered 503', backup: 'email' }]);
    expect(newConsoleAlerts(first, second)).toEqual([
      { key: 'sla:2:atRisk', kind: 'atRisk', channel: 'chat', conversationId: 2, contact: 'Customer 2', since: T, backup: null, detail: null },
      { key: `outage:sms:${T - 60_000}`, kind: 'outage', channel: 'sms', conversationId: null, contact: null, since: T - 60_000, backup: 'email', detail: 'Twilio answered 503' },
    ]);
    // The same state again raises nothing; the risk becoming a breach does.
    expect(newConsoleAlerts(second, second)).toEqual([]);
    const third = snap([wait(1, 'breached'), wait(2, 'breached')], second.outages);
    expect(newConsoleAlerts(second, third).map((a) => a.key)).toEqual(['sla:2:breached']);
  });

  it('become OS notices in the desktop app (one per key, muted channels stay quiet)', () => {
    const [breach] = newConsoleAlerts(snap([]), snap([wait(7, 'breached', 'Dana Whitfield')]));
    const alert = supervisorAlert(breach!);
    expect(alert).toMatchObject({ kind: 'supervisor', key: 'sla:7:breached', channel: 'chat', sender: 'SLA breached on Chat', preview: 'Dana Whitfield has waited past the first-response SLA.' });
    const focus = { windowFocused: true, viewingCaseId: null };
    const shown = new NotificationPlanner(NotificationSettings.parse({})).receive(alert, T, focus).show;
    expect(shown).toEqual([{ key: 'supervisor:sla:7:breached', caseId: 0, kind: 'supervisor', channel: 'chat', title: 'SLA breached on Chat', body: 'Dana Whitfield has waited past the first-response SLA.', count: 1, actions: [] }]);
    expect(new NotificationPlanner(NotificationSettings.parse({ channels: { chat: { mode: 'muted' } } })).receive(alert, T, focus).show).toEqual([]);

    const [outage] = newConsoleAlerts(snap([]), snap([], [{ channel: 'sms', since: T, detail: 'down', backup: 'email' }]));
    expect(supervisorAlert(outage!).sender).toBe('SMS is down');
    expect(supervisorAlert(outage!).preview).toMatch(/^Since .+: replies are queued; backup: Email\.$/);
    // in German when the workspace is German: the channel names too, the time on a 24-hour clock
    expect(supervisorAlert(outage!, 'de')).toMatchObject({ sender: 'SMS ist ausgefallen', preview: expect.stringMatching(/^Seit \d{2}:\d{2}: Antworten werden zurückgehalten; Ersatzkanal: E-Mail\.$/) });
    expect(supervisorAlert(breach!, 'de')).toMatchObject({ sender: 'SLA überschritten bei Chat', preview: 'Dana Whitfield wartet länger als die Erstreaktions-SLA.' });
  });
});
