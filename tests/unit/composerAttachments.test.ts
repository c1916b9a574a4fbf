// The composer's attachment rules: which files are refused (by name, by what their bytes are),
// how many and how large on one reply of each channel, and the names and types a mail shows.
import { describe, expect, it } from 'vitest';
import { attachmentLimit, cleanAttachmentName, formatBytes, refuseAttachment, refuseAttachmentSet, typeForUnsniffed } from '../../src/shared/composer/attachments';

const MB = 1024 * 1024;

describe('refusing a file', () => {
  it('refuses programs, scripts and installers by their name, whatever the case of the extension', () => {
    for (const name of ['setup.exe', 'Invoice.PDF.exe', 'run.bat', 'x.ps1', 'a.vbs', 'tool.msi', 'app.jar', 'start.sh', 'link.lnk', 'page.hta', 'macro.docm']) {
      expect(refuseAttachment({ name, size: 10 })?.message, name).toMatch(/can run programs when opened; such files are not sent/);
    }
    expect(refuseAttachment({ name: 'Invoice.PDF.exe', size: 10 })?.message).toBe(
      '“Invoice.PDF.exe” is a .exe file, which can run programs when opened; such files are not sent. Put it in a shared folder and send the link instead.',
    );
  });

  it('refuses a program by its bytes even when it is named like a document', () => {
    expect(refuseAttachment({ name: 'report.pdf', size: 100, sniffedType: 'application/x-msdownload' })?.message).toMatch(/^“report\.pdf” is a program or installer \(application\/x-msdownload\)/);
    expect(refuseAttachment({ name: 'photo.jpg', size: 100, sniffedType: 'application/x-elf' })).not.toBeNull();
  });

  it('accepts documents, images, archives and text, including names with dots and no extension', () => {
    for (const [name, type] of [['invoice.pdf', 'application/pdf'], ['photo.jpeg', 'image/jpeg'], ['logs.zip', 'application/zip'], ['notes.txt', null], ['README', null], ['v1.2.final.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document']] as const) {
      expect(refuseAttachment({ name, size: 1000, sniffedType: type }), name).toBeNull();
    }
  });

  it('refuses empty files and files over 25 MB with their size', () => {
    expect(refuseAttachment({ name: 'empty.txt', size: 0 })?.message).toBe('“empty.txt” is empty; there is nothing to attach.');
    expect(refuseAttachment({ name: 'video.mp4', size: 30 * MB })?.message).toBe('“video.mp4” is 30 MB; a file can be at most 25 MB.');
    expect(refuseAttachment({ name: 'video.mp4', size: 25 * MB })).toBeNull();
  });
});

describe('the files of one reply', () => {
  const pdf = (size: number, name = 'scan.pdf') => ({ size, contentType: 'application/pdf', name });

  it('email takes up to 10 files of any safe type and 25 MB together', () => {
    expect(attachmentLimit('email')).toMatchObject({ maxFiles: 10, maxTotalBytes: 25 * MB, types: null });
    expect(refuseAttachmentSet('email', [pdf(10 * MB), pdf(10 * MB), { size: 5 * MB, contentType: 'application/zip', name: 'logs.zip' }])).toBeNull();
    expect(refuseAttachmentSet('email', [pdf(10 * MB), pdf(10 * MB), pdf(5 * MB + 1)])?.message).toBe('The attachments add up to 25.0 MB; one email can carry at most 25 MB. Remove some, or share a link instead.');
    expect(refuseAttachmentSet('email', Array(11).fill(pdf(1000)))?.message).toBe('At most 10 files can go on one reply; remove 1.');
  });

  it('website and in-app chats take up to 5 pictures or PDFs, 10 MB together', () => {
    for (const channel of ['chat', 'in_app'] as const) {
      expect(refuseAttachmentSet(channel, [pdf(4 * MB), { size: 1000, contentType: 'image/png', name: 'label.png' }])).toBeNull();
      expect(refuseAttachmentSet(channel, Array(6).fill(pdf(1000)))?.message).toBe('At most 5 files can go on one reply; remove 1.');
    }
    expect(refuseAttachmentSet('chat', [{ size: 1000, contentType: 'application/zip', name: 'logs.zip' }])?.message).toBe(
      '“logs.zip” cannot go in one chat message: chats take pictures (PNG, JPEG, GIF, WebP) and PDF files. Send it by email instead.',
    );
    expect(refuseAttachmentSet('in_app', [pdf(6 * MB), pdf(5 * MB)])?.message).toBe('The attachments add up to 11 MB; one in-app message can carry at most 10 MB. Remove some, or share a link instead.');
  });

  it('SMS and social channels take no files, and a reply without files is always fine', () => {
    for (const channel of ['sms', 'messenger', 'instagram', 'x', 'portal'] as const) {
      expect(refuseAttachmentSet(channel, [pdf(1000)])?.message, channel).toBe('Files cannot be sent on this channel; only email and chat replies carry attachments.');
      expect(refuseAttachmentSet(channel, [])).toBeNull();
    }
  });
});

describe('names and types', () => {
  it('drops any path and control characters from a name', () => {
    expect(cleanAttachmentName('C:\\Users\\alex\\Desktop\\q3 "report".pdf')).toBe('q3 report.pdf');
    expect(cleanAttachmentName('../../etc/passwd')).toBe('passwd');
    expect(cleanAttachmentName('a\r\nb.txt')).toBe('ab.txt');
    expect(cleanAttachmentName('///')).toBe('attachment');
  });

  it('names the type of text files from their extension, anything else unknown is octet-stream', () => {
    expect(typeForUnsniffed('orders.CSV')).toBe('text/csv');
    expect(typeForUnsniffed('notes.txt')).toBe('text/plain');
    expect(typeForUnsniffed('data.bin2')).toBe('application/octet-stream');
    expect(formatBytes(512)).toBe('1 KB');
    expect(formatBytes(3 * MB)).toBe('3 MB');
  });
});
