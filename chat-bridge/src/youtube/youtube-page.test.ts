import { describe, expect, it } from 'vitest';
import { ChatPage, pageLines } from './youtube-page.ts';

const CHANNEL = 'UCabcdefghijklmnopqrstuv';
const text = (id: string, publishedAt: string, messageText: string) => ({
  id,
  snippet: { type: 'textMessageEvent', publishedAt, displayMessage: messageText, textMessageDetails: { messageText } },
  authorDetails: { channelId: CHANNEL, displayName: 'Ann' },
});
const page = (items: unknown[], extra: Record<string, unknown> = {}) => ChatPage.parse({ nextPageToken: 't', items, ...extra });
const since = Date.parse('2025-07-01T12:00:00Z');

describe('pageLines', () => {
  it('keeps text messages published since the start, with the platform timestamp', () => {
    const r = pageLines(page([text('m1', '2025-07-01T11:59:59.999999+00:00', '!a'), text('m2', '2025-07-01T12:00:01.500000+00:00', '!b')]), since);
    expect(r).toEqual({ lines: [{ id: 'm2', voter: `youtube:${CHANNEL}`, name: 'Ann', line: '!b', at: since + 1_500 }], ended: false, malformed: 0 });
  });

  it('drops a message whose deletion is on the same page, and other event types', () => {
    const items = [
      text('m1', '2025-07-01T12:00:01Z', '!a'),
      { id: 'd1', snippet: { type: 'messageDeletedEvent', publishedAt: '2025-07-01T12:00:02Z', messageDeletedDetails: { deletedMessageId: 'm1' } } },
      { id: 's1', snippet: { type: 'superChatEvent', publishedAt: '2025-07-01T12:00:03Z', displayMessage: '$5: !b' }, authorDetails: { channelId: CHANNEL } },
    ];
    expect(pageLines(page(items), since).lines).toEqual([]);
  });

  it('drops, and counts, messages it cannot read, keeping the rest of the page', () => {
    const items = [null, 'x', { id: 'm0' }, { id: '', snippet: { type: 'textMessageEvent' } }, text('m1', 'not a date', '!a'), text('m2', '2025-07-01T12:00:01Z', '!b')];
    const r = pageLines(page(items), since);
    expect(r.lines.map((l) => l.id)).toEqual(['m2']);
    expect(r.malformed).toBe(4);
  });

  it('says the chat ended on offlineAt or a chatEndedEvent', () => {
    expect(pageLines(page([], { offlineAt: '2025-07-01T13:00:00Z' }), since).ended).toBe(true);
    expect(pageLines(page([{ id: 'e', snippet: { type: 'chatEndedEvent', publishedAt: '2025-07-01T13:00:00Z' } }]), since).ended).toBe(true);
  });
});
