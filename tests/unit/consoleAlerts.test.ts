// The live console's alerts: which a new team snapshot raises (new SLA risks and breaches, outages;
// once each, none for the first snapshot), and how the desktop app's notification rules show them.
import { describe, expect, it } from 'vitest';
import { ChannelHealth } from '../../src/hub/core/channelHealth';
import { NotificationPlanner, NotificationSettings } from '../../src/main/desktop/notificationRules';
import { supervisorAlert } from '../../src/main/desktop/queueWatch';
import { SupervisorSnapshot } from '../../src/shared/hub/agentProtocol';
import { say } from '../../src/shared/serverErrors';
import { detailOf } from '../../src/shared/storedSentence';
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

  it("an outage's detail keeps its catalog key (the console shows it in the supervisor's language)", () => {
    const unreachable = say('smsUnreachable', { error: 'connect ECONNREFUSED' });
    const { detail, detailText } = detailOf(unreachable);
    const down = SupervisorSnapshot.parse(snap([], [{ channel: 'sms', since: T, detail, detailText, backup: null }]));
    const [outage] = newConsoleAlerts(snap([]), down);
    expect(outage).toMatchObject({ kind: 'outage', detail: 'Twilio could not be reached: connect ECONNREFUSED.', detailText: { key: 'smsUnreachable', params: { error: 'connect ECONNREFUSED' } } });
    // An older hub's snapshot (no key) still raises the alert with its English detail.
    const older = SupervisorSnapshot.parse(snap([], [{ channel: 'x', since: T, detail: 'Deliveries keep failing', backup: null }]));
    expect(newConsoleAlerts(snap([]), older)[0]).toMatchObject({ detail: 'Deliveries keep failing' });
    expect(newConsoleAlerts(snap([]), older)[0]!.detailText ?? null).toBeNull();
  });

  it("the hub's outage keeps the provider's key, or says with a key that deliveries keep failing when none was given", () => {
    const health = new ChannelHealth(2);
    health.failed('sms', T, null);
    health.failed('sms', T + 1, say('smsUnreachable', { error: 'fetch failed' }));
    health.failed('x', T, null);
    health.failed('x', T + 1, null);
    health.failed('messenger', T, 'Graph answered 500');
    health.failed('messenger', T + 1, 'Graph answered 500');
    expect(health.outages()).toEqual([
      { channel: 'sms', since: T, detail: 'Twilio could not be reached: fetch failed.', detailText: { key: 'smsUnreachable', params: { error: 'fetch failed' } } },
      { channel: 'x', since: T, detail: 'Deliveries keep failing', detailText: { key: 'outageNoDetail', params: {} } },
      { channel: 'messenger', since: T, detail: 'Graph answered 500', detailText: null },
    ]);
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
