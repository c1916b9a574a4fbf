// The workspace in a second language: Settings → Language switches the strings at once, dates follow
// the locale, and the choice survives a reload; refusals from main and the hub arrive in it too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { runAdmin } from '../../src/hub/main';
import { agentSession, login, startHub, TestAgent } from '../helpers/hub';
import { startTwilioStandin } from '../helpers/providerStandins';
import { startDesktopProcess } from './desktopProcess';

const url = process.env.OMNI_E2E_URL ?? '';

test('an agent switches the workspace to German and back', async ({ page }) => {
  await page.goto(url);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('combobox', { name: 'Language', exact: true }).selectOption('de');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  // The dialog itself is German at once.
  await expect(dialog.getByRole('heading', { name: 'Einstellungen' })).toBeVisible();
  // Native date pickers follow the browser's language here (the desktop app: its --lang after a restart).
  await expect(dialog.getByText(/Die Datums- und Uhrzeitauswahl folgt der Sprache Ihres Browsers\.$/)).toBeVisible();
  await dialog.getByRole('region', { name: 'Sprache' }).screenshot({ path: 'test-results/screenshots/language-section-de.png' });
  await dialog.getByRole('button', { name: 'Einstellungen schließen' }).click();
  await expect(page.getByRole('button', { name: 'Einstellungen', exact: true })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('button', { name: 'Einstellungen', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Einstellungen', exact: true }).click();
  await page.getByRole('dialog').getByRole('combobox', { name: 'Sprache', exact: true }).selectOption('en');
  await expect(page.getByRole('button', { name: 'Settings', exact: true })).toBeVisible();
});

test('in German the queue, a conversation, the composer and the dashboard read German, with German dates and numbers', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('omni.locale', 'de'));
  await page.goto(url);
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');

  // The queue: its views, its rows' wait times ("4 Min.", "2 Std.") and SLA badges.
  const queue = page.getByRole('listbox', { name: 'Warteschlange' });
  await expect(queue).toBeVisible();
  await expect(page.getByRole('tablist', { name: 'Ansichten der Warteschlange' }).getByRole('tab', { name: /^Alle/ })).toBeVisible();
  await expect(page.getByRole('tab', { name: /^Nicht zugewiesen/ })).toBeVisible();
  await expect(queue.locator('.qi-wait').first()).toHaveText(/^(<1 Min\.|\d+ (Min\.|Std\.|Tg\.))$/);
  await expect(queue.locator('.badge.sla').first()).toHaveText(/^(SLA noch \d|Überschritten seit )/);

  // A conversation: the header, the channel-switch notice with a German day ("10. Jan."), SLA clocks.
  await queue.getByRole('option', { name: /Jane Smith/ }).click();
  const conversation = page.getByRole('main', { name: 'Konversation' });
  await expect(conversation.getByRole('button', { name: 'Lösen' })).toBeVisible();
  await expect(conversation.getByText(/^Priorität (Dringend|Hoch|Normal|Niedrig)$/)).toBeVisible();
  const timeline = page.getByRole('log', { name: 'Verlauf' });
  await expect(timeline.getByRole('note').filter({ hasText: /^Zuvor über E-Mail kontaktiert am 10\. Jan\./ })).toBeVisible();
  await expect(timeline.getByText(/^15\. Jan\., \d{2}:\d{2}$/).first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Fallübersicht' }).getByRole('listitem').filter({ hasText: /Nächste Antwort überfällig seit/ })).toBeVisible();
  const profile = page.getByRole('complementary', { name: 'Kundenprofil' });
  await expect(profile.getByRole('heading', { level: 3, name: /^Offene Tickets \(\d+\)$/ })).toBeVisible();

  // The composer: German labels, placeholder and send button.
  const reply = page.getByRole('textbox', { name: 'Antwort' });
  await expect(reply).toHaveAttribute('placeholder', /^Antwort an Jane über Chat…$/);
  await expect(page.getByRole('combobox', { name: 'Kanal' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Senden' })).toBeVisible();
  await page.getByRole('button', { name: 'Notiz', exact: true }).click();
  await expect(page.getByRole('combobox', { name: 'Interne Notiz' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Notiz hinzufügen' })).toBeVisible();
  await page.getByRole('button', { name: 'Notiz', exact: true }).click();
  await page.screenshot({ path: 'test-results/screenshots/workspace-de.png' });

  // The keyboard works the same in German: Escape from the reply box goes back to the queue, and
  // the palette's "Kundenprofil öffnen" moves focus to the profile.
  await reply.focus();
  await page.keyboard.press('Escape');
  await expect(queue).toBeFocused();
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox', { name: 'Befehl' }).fill('Kundenprofil öffnen');
  await page.keyboard.press('Enter');
  await expect(profile).toBeFocused();

  // The dashboard: German headings and German numbers ("1.234", "45,0 %", "12,5 Min.").
  await page.getByRole('button', { name: 'Dashboard', exact: true }).click();
  const dashboard = page.getByRole('main', { name: 'Supervisor-Dashboard' });
  await expect(dashboard.getByRole('heading', { level: 1, name: 'Supervisor-Dashboard' })).toBeVisible();
  const totals = dashboard.getByLabel('Summen');
  const tile = (label: string) => totals.locator('.dash-tile', { has: page.getByText(label, { exact: true }) }).locator('dd');
  await expect(tile('Kontakte')).toHaveText(/^\d{1,3}(\.\d{3})*$/);
  await expect(tile('Lösungsquote')).toHaveText(/^\d{1,3},\d\u00a0%$/);
  await expect(tile('Durchschnittliche Bearbeitungszeit')).toHaveText(/^\d+,\d (Min\.|Std\.|Tg\.)$/);
  await expect(dashboard.getByText(/^Zeitraum \d{2}\.\d{2}\.\d{4} bis \d{2}\.\d{2}\.\d{4} /)).toBeVisible();
  const volume = dashboard.getByRole('region', { name: 'Volumen nach Kanal' });
  await volume.getByRole('button', { name: 'Als Tabelle zeigen' }).click();
  await expect(volume.getByRole('table', { name: 'Volumen nach Kanal' }).getByRole('row').nth(1)).toHaveText(/\d,\d\u00a0%$/);
  await page.screenshot({ path: 'test-results/screenshots/dashboard-de.png' });

  // The CSV report: German words, the figures plain numbers (a dot, no thousands marks) for spreadsheets and BI tools.
  const downloading = page.waitForEvent('download');
  await dashboard.getByRole('button', { name: 'CSV exportieren' }).click();
  const lines = fs.readFileSync((await (await downloading).path())!, 'utf8').split(/\r?\n/);
  expect(lines[0]).toBe('Wöchentlicher Kanalbericht');
  expect(lines).toContain('Kanal,Kontakte,Anteil');
  expect(lines).toContain('Leistung der Kanäle');
  expect(lines.find((l) => l.startsWith('E-Mail,'))).toMatch(/^E-Mail,\d+,(0|1|0\.\d+)$/);
  expect(lines.join('\n')).not.toMatch(/Weekly channel report|Volume distribution|All channels/);
});

test('in German, the voicemails in the queue and the timeline, call outcomes and the live console\'s agent states read German', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('omni.locale', 'de'));
  await page.goto(url);
  const queue = page.getByRole('listbox', { name: 'Warteschlange' });
  await page.getByRole('tab', { name: /^Telefon/ }).click();
  // The demo's voicemails: the preview is the line the hub writes, in German.
  const voicemail = queue.getByRole('option').filter({ hasText: 'Sprachnachricht von ' }).first();
  await expect(voicemail).toBeVisible();
  await expect(queue.getByRole('option').filter({ hasText: 'Voicemail from ' })).toHaveCount(0);
  await voicemail.click();
  const timeline = page.getByRole('log', { name: 'Verlauf' });
  await expect(timeline.getByText(/^Sprachnachricht von \w+: "Hi, this is /).last()).toBeVisible();
  // A call's outcome is named in German ("Gelöst", "Weitergeleitet", …), never as its id.
  const outcomes = /^Anruf · (eingehend|ausgehend) · .* · (Gelöst|Verbunden|Weitergeleitet|Nachfassen|Eskaliert|Rückruf vereinbart|Nicht angenommen|Sprachnachricht hinterlassen)/;
  await expect(timeline.getByText(outcomes).first()).toBeVisible();
  await expect(timeline.getByText(/ · (Resolved|Connected|Transferred|Follow_up|No_answer)\b/)).toHaveCount(0);

  await page.getByRole('button', { name: 'Live-Konsole' }).click();
  const agents = page.getByRole('region', { name: 'Agenten' });
  await expect(agents.getByRole('row').nth(1)).toContainText(/Verfügbar|Beschäftigt|Abwesend|Im Gespräch|Nachbearbeitung|Offline/);
  await expect(agents.getByText(/^(Available|Busy|Away|On a call|Wrap-up)$/)).toHaveCount(0);
});

test('in German, a refusal from main and one from the hub read German', async ({ page }) => {
  const hub = await startHub({ config: { embedded: false } });
  try {
    await agentSession(hub, { username: 'e2e-lena', displayName: 'Lena E2E', password: 'e2e-lena-password-42' });
    await page.addInitScript(() => localStorage.setItem('omni.locale', 'de'));
    await page.goto(url);
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');

    // The hub refuses the softphone's token over the agent socket (no Twilio settings in this run): German.
    await expect(page.getByRole('region', { name: 'Softphone' }).getByRole('status')).toContainText(
      'Das Softphone konnte nicht starten: Das Softphone braucht Twilio-Einstellungen auf dem Hub, die noch leer sind: channels.twilio.accountSid',
      { timeout: 15_000 },
    );

    // Main refuses a program named like a PDF once it has read the bytes (file-type): its sentence, in German.
    // Any email case (other stories answer the demo's well-known ones).
    await page.getByRole('tablist', { name: 'Ansichten der Warteschlange' }).getByRole('tab', { name: /^E-Mail/ }).click();
    await page.getByRole('listbox', { name: 'Warteschlange' }).getByRole('option').first().click();
    await page.getByLabel('Anzuhängende Dateien').setInputFiles({ name: 'rechnung.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(2048, 1)]) });
    const refusal = page.getByRole('alert').filter({ hasText: 'rechnung.pdf' });
    await expect(refusal).toHaveText(
      '„rechnung.pdf“ ist ein Programm oder Installationsprogramm (application/x-msdownload), egal wie die Datei heißt; solche Dateien werden nicht gesendet. Legen Sie sie in einem freigegebenen Ordner ab und senden Sie stattdessen den Link.',
    );
    await page.screenshot({ path: 'test-results/screenshots/refusal-main-de.png' });

    // The hub refuses a wrong password: the hub's sentence travels with its key and reads German; nothing changes.
    await page.getByRole('button', { name: 'Einstellungen', exact: true }).click();
    const section = page.getByRole('dialog').getByRole('region', { name: 'Team-Hub' });
    await section.getByLabel('Hub-Adresse', { exact: true }).fill(hub.url);
    await section.getByLabel('Hub-Benutzername', { exact: true }).fill('e2e-lena');
    await section.getByLabel('Hub-Passwort', { exact: true }).fill('not-the-password');
    await section.getByRole('button', { name: 'Anmelden' }).click();
    await expect(section.getByRole('alert')).toHaveText('Benutzername oder Passwort ist falsch.');
    await expect(section.getByRole('group', { name: 'Aktueller Hub' }).getByText('Integrierter Hub', { exact: true })).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/refusal-hub-de.png' });
  } finally {
    await hub.close();
  }
});

test('in German, the timeline\'s status lines and the hub connection\'s status read German', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('omni.locale', 'de'));
  await page.goto(url);
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');

  // Resolve and reopen an email case: main writes the lines with their keys, the timeline shows them in German.
  await page.getByRole('tablist', { name: 'Ansichten der Warteschlange' }).getByRole('tab', { name: /^E-Mail/ }).click();
  await page.getByRole('listbox', { name: 'Warteschlange' }).getByRole('option').nth(1).click();
  const conversation = page.getByRole('main', { name: 'Konversation' });
  const caseId = Number(((await conversation.locator('.conv-case').textContent()) ?? '').replace('#', ''));
  expect(caseId).toBeGreaterThan(0);
  await conversation.getByRole('button', { name: 'Lösen' }).click();
  const dialog = page.getByRole('dialog', { name: `#${caseId} lösen` });
  await expect(dialog.getByRole('radio', { name: 'Gelöst' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  const timeline = page.getByRole('log', { name: 'Verlauf' });
  await expect(timeline.getByText(/^Von .+ gelöst: Gelöst\.$/).last()).toBeVisible();
  await conversation.getByRole('button', { name: 'Wieder öffnen' }).click();
  const reopened = timeline.getByText(/^Von .+ wieder geöffnet\.$/).last();
  await expect(reopened).toBeVisible();
  await reopened.scrollIntoViewIfNeeded();
  await timeline.screenshot({ path: 'test-results/screenshots/timeline-status-lines-de.png' });

  // The built-in hub's connection status in Settings → Team-Hub.
  await page.getByRole('button', { name: 'Einstellungen', exact: true }).click();
  const section = page.getByRole('dialog').getByRole('region', { name: 'Team-Hub' });
  await expect(section.getByText(/^Mit dem Hub unter .+ verbunden als .+\.$/)).toBeVisible();
  await section.screenshot({ path: 'test-results/screenshots/hub-status-de.png' });
});

test('in German, the channel configuration says why an imported file is refused in German', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('omni.locale', 'de'));
  await page.goto(url);
  await page.getByRole('button', { name: 'Einstellungen', exact: true }).click();
  await page.getByRole('button', { name: 'Kanalkonfiguration…' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Kanalkonfiguration' })).toBeVisible();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omni-cc-de-'));
  const file = path.join(dir, 'other.json');
  fs.writeFileSync(file, JSON.stringify({ format: 'other' }));
  await page.locator('input[type="file"]').setInputFiles(file);
  const alert = page.getByRole('alert');
  await expect(alert).toHaveText('Die Datei ist keine exportierte Kanalkonfiguration: format ist nicht „omni-channel-matrix“: das ist keine exportierte Kanalkonfiguration.');
  await alert.screenshot({ path: 'test-results/screenshots/channel-config-import-de.png' });

  // A field's own problem reads German, where it is in words ("Chat Erstreaktions-SLA"), tied to the field.
  const sla = page.getByLabel('Chat: Erstreaktions-SLA (Sekunden)');
  await sla.fill('0');
  await expect(sla).toHaveAccessibleDescription('Chat Erstreaktions-SLA: muss mehr als 0 Sekunden sein');
  await sla.fill('60');
  await expect(sla).not.toHaveAttribute('aria-invalid');

  // An import's preview says what would change in German; the seed version of the history too.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Als Datei exportieren' }).click();
  const exported = JSON.parse(fs.readFileSync((await (await download).path())!, 'utf8')) as { matrix: { channels: Record<string, { autoReply: { enabled: boolean }; hours: { weekly: unknown } }>; handoff: unknown[] } };
  const autoReply = exported.matrix.channels.x!.autoReply;
  autoReply.enabled = !autoReply.enabled;
  exported.matrix.channels.chat!.hours.weekly = { mon: [{ start: '09:00', end: '17:00' }] };
  exported.matrix.handoff.push({ from: 'social', to: 'phone', keep: 'public_context', visibility: 'private' });
  const good = path.join(dir, 'good.json');
  fs.writeFileSync(good, JSON.stringify(exported));
  await page.locator('input[type="file"]').setInputFiles(good);
  const preview = page.getByRole('region', { name: 'Importierte Datei: Was sich ändern würde' });
  await expect(preview.getByRole('listitem').filter({ hasText: /^X automatische Antwort: / })).toHaveText(autoReply.enabled ? 'X automatische Antwort: aus → an' : 'X automatische Antwort: an → aus');
  await expect(preview.getByRole('listitem').filter({ hasText: 'Chat Öffnungszeiten am Montag' })).toHaveText(/^Chat Öffnungszeiten am Montag: .+ → 09:00–17:00$/);
  await expect(preview.getByRole('listitem').filter({ hasText: 'Übergaberegel hinzugefügt' })).toHaveText('Übergaberegel hinzugefügt: soziale Kanäle → Telefon (behält den öffentlichen Kontext, geht privat weiter)');
  await preview.screenshot({ path: 'test-results/screenshots/channel-config-preview-de.png' });
  await preview.getByRole('button', { name: 'Datei verwerfen' }).click();
  await expect(preview).toBeHidden();
  await expect(page.getByText(/^Version \d+, gespeichert von /)).not.toContainText('Configuration file');
  const seed = page.getByRole('listitem').filter({ hasText: /^Version 1 · Konfigurationsdatei · / });
  await expect(seed.getByRole('listitem')).toHaveText('Aus der Konfigurationsdatei erstellt');
});

test("in German, the supervisor's outage banner gives the provider's reason in German", async ({ browser }) => {
  test.setTimeout(90_000);
  const password = 'e2e-outage-de-password';
  const smsNumber = '+15005550006';
  // Twilio's REST API is a local stand-in that answers 503 on cue; a desktop of its own whose hub sends SMS there.
  const twilio = await startTwilioStandin({ hubPublicUrl: () => desk.hubUrl });
  const desk = await startDesktopProcess({
    name: 'outage-de',
    hubConfig: {
      delivery: { baseMs: 100, maxMs: 300, maxAttempts: 1000 },
      channels: { twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, fromNumber: smsNumber, apiBaseUrl: twilio.url }, autoReply: { sms: { enabled: false } } },
    },
  });
  let agent: TestAgent | null = null;
  try {
    const created = await runAdmin(['create-agent', '--username', 'e2e-jonas', '--name', 'Jonas Ausfall', '--role', 'agent', '--data-dir', path.join(desk.dataDir, 'hub')], { OMNI_HUB_PASSWORD: password });
    expect(created).toContain('e2e-jonas');
    agent = await TestAgent.connect(desk.hubUrl, (await login(desk.hubUrl, 'e2e-jonas', password)).token);
    const page = await (await browser.newContext()).newPage();
    await page.addInitScript(() => localStorage.setItem('omni.locale', 'de'));
    await page.goto(desk.url);
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    // The local admin steps away, so the customer's SMS goes to Jonas.
    await page.getByRole('combobox', { name: 'Status' }).selectOption('away');
    await page.getByRole('button', { name: 'Live-Konsole' }).click();

    await agent.call({ type: 'setPresence', presence: 'available', capacity: { sms: 2 } });
    expect((await twilio.sendSms({ From: '+14158675310', To: smsNumber, Body: 'Ist meine Bestellung unterwegs?' })).status).toBe(200);
    const offer = await agent.waitForEvent('offer', (e) => e.conversation.channel === 'sms');
    await agent.call({ type: 'acceptOffer', offerId: offer.offerId });
    // Twilio stays down: every call is answered 503 until the test ends.
    for (let i = 0; i < 300; i++) twilio.failNext({ status: 503, body: { code: 20503, message: 'Service Unavailable', more_info: 'https://www.twilio.com/docs/errors/20503', status: 503 } });
    await agent.call({ type: 'send', idempotencyKey: 'e2e-outage-de-reply-1', conversationId: offer.conversation.id, text: 'Sie ist heute rausgegangen.' });

    // The banner in German, and its reason (the provider's sentence, kept with its key by the hub) too.
    const outage = page.getByRole('region', { name: 'Hinweise für Supervisoren' }).getByRole('alert').filter({ hasText: /^SMS ist seit \d\d:\d\d ausgefallen/ });
    await expect(outage).toBeVisible({ timeout: 20_000 });
    await expect(outage).toHaveAttribute('title', 'Twilio hat die SMS abgelehnt: Service Unavailable (Fehler 20503).');
    await outage.screenshot({ path: 'test-results/screenshots/outage-de.png' });
  } finally {
    await agent?.close();
    await desk.stop();
    await twilio.close();
  }
});
