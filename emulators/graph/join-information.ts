/**
 * `joinInformation.content` as Graph returns it: an HTML invitation as a `data:text/html,` URL, form-encoded
 * (`+` for spaces), localized by Accept-Language (seed: "Accept-Language: ja" → Japanese; default English).
 */
export type JoinLanguage = 'en' | 'zh-CN' | 'ja';

interface Strings {
  readonly join: string;
  readonly toll: string;
  readonly conferenceId: string;
  readonly localNumbers: string;
  readonly resetPin: string;
  readonly learnMore: string;
  readonly meetingOptions: string;
}

const STRINGS: Readonly<Record<JoinLanguage, Strings>> = {
  en: {
    join: 'Join Microsoft Teams Meeting',
    toll: '(Toll)',
    conferenceId: 'Conference ID:',
    localNumbers: 'Local numbers',
    resetPin: 'Reset PIN',
    learnMore: 'Learn more about Teams',
    meetingOptions: 'Meeting options',
  },
  'zh-CN': {
    join: '加入 Microsoft Teams 会议',
    toll: '(收费)',
    conferenceId: '会议 ID:',
    localNumbers: '查找本地号码',
    resetPin: '重置 PIN',
    learnMore: '了解有关 Teams 的详细信息',
    meetingOptions: '会议选项',
  },
  ja: {
    join: 'Microsoft Teams 会議に参加',
    toll: '(有料)',
    conferenceId: '会議 ID:',
    localNumbers: '最寄りの国の電話番号を検索',
    resetPin: 'PIN をリセット',
    learnMore: 'Teams の詳細を表示',
    meetingOptions: '会議のオプション',
  },
};

export interface NegotiatedLanguage {
  readonly language: JoinLanguage;
  /** The tag echoed in the meeting-options link (`…&language=ja`), as the caller sent it. */
  readonly tag: string;
}

/** Picks the highest-q tag we localize; `*`, missing or unsupported languages fall back to English. */
export function negotiateLanguage(acceptLanguage: string | undefined): NegotiatedLanguage {
  const ranges = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.tag.length > 0 && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranges) {
    const lower = tag.toLowerCase();
    if (lower === 'ja' || lower.startsWith('ja-')) return { language: 'ja', tag };
    if (lower === 'zh' || lower === 'zh-cn' || lower === 'zh-sg' || lower.startsWith('zh-hans'))
      return { language: 'zh-CN', tag };
    if (lower === 'en' || lower.startsWith('en-')) return { language: 'en', tag };
  }
  return { language: 'en', tag: 'en-US' };
}

export interface JoinDetails {
  readonly joinWebUrl: string;
  readonly tollNumber: string;
  readonly conferenceId: string;
  readonly dialinUrl: string;
  readonly organizerId: string;
  readonly tenantId: string;
  readonly threadId: string;
}

// Links are written into href unescaped, as in the seed's sample (`…&messageId=0&language=ja`): they are generated
// by the stand-in and contain no quotes.
/** Form encoding as in the seed: encodeURIComponent with `+` for spaces. */
export const formEncode = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');

export function joinInformation(
  details: JoinDetails,
  negotiated: NegotiatedLanguage,
): { content: string; contentType: 'html' } {
  const t = STRINGS[negotiated.language];
  const options =
    `https://teams.microsoft.com/meetingOptions/?organizerId=${details.organizerId}&tenantId=${details.tenantId}` +
    `&threadId=${details.threadId.replace(':', '_')}&messageId=0&language=${negotiated.tag}`;
  const link =
    'style="font-size: 12px;text-decoration: none;color: #6264a7;" target="_blank" rel="noreferrer noopener"';
  const html = [
    '<div style="width:100%;height: 20px;"><span style="white-space:nowrap;color:gray;opacity:.36;">________________________________________________________________________________</span></div>',
    `<div class="me-email-text" style="color:#252424;font-family:'Segoe UI','Helvetica Neue',Helvetica,Arial,sans-serif;">`,
    `<div style="margin-top: 24px; margin-bottom: 10px;"><a class="me-email-headline" href="${details.joinWebUrl}" target="_blank" rel="noreferrer noopener">${t.join}</a></div>`,
    `<div><a class="me-email-link" href="tel:${details.tollNumber},,${details.conferenceId}&#35; " target="_blank" rel="noreferrer noopener">${details.tollNumber}</a><span style="font-size: 12px;">&nbsp;  ${t.toll} </span></div>`,
    `<div style="margin-top: 10px; margin-bottom: 20px;"><span style="font-size: 12px;">${t.conferenceId}</span> <span style="font-size: 14px;">${details.conferenceId}#</span></div>`,
    `<div style="margin-bottom: 24px;"><a class="me-email-link" ${link} href="${details.dialinUrl}">${t.localNumbers}</a>`,
    ` | <a class="me-email-link" ${link} href="https://mysettings.lync.com/pstnconferencing">${t.resetPin}</a>`,
    ` | <a class="me-email-link" ${link} href="https://aka.ms/JoinTeamsMeeting">${t.learnMore}</a>`,
    ` | <a class="me-email-link" ${link} href="${options}">${t.meetingOptions}</a></div>`,
    '</div>',
  ].join('\n');
  return { content: formEncode(`data:text/html,\n${html}\n`), contentType: 'html' };
}
