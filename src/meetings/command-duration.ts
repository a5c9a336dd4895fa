/**
 * The small duration grammar of meeting commands: `for 45 min`, `for 1h`, `for 1.5 hours`, `for an hour`,
 * `half an hour`, `1h30`, `45分钟`, `1小时`, `半小时`, `45分`, `1時間`, `1時間半`. Durations are matched before
 * chrono-node sees the text, because chrono reads `1時間` as the time `1時` and `in 45 min` is a start, not a
 * length (hence the look-behind on `in`/`后`/`後`).
 */

export interface DurationMatch {
  /** Minutes as written; may be ≤ 0 or huge, the caller validates. */
  readonly minutes: number;
  readonly index: number;
  readonly length: number;
}

const CJK_DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  兩: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** `45`, `1.5`, `一`, `两`, `十五`, `二十`, `九十` → number; NaN when not a number we read. */
export function readNumber(text: string): number {
  if (/^-?\d+(?:\.\d+)?$/.test(text)) return Number(text);
  const ten = text.indexOf('十');
  if (ten === -1) return text.length === 1 ? (CJK_DIGITS[text] ?? NaN) : NaN;
  const tens = ten === 0 ? 1 : (CJK_DIGITS[text.slice(0, ten)] ?? NaN);
  const units = ten === text.length - 1 ? 0 : (CJK_DIGITS[text.slice(ten + 1)] ?? NaN);
  return tens * 10 + units;
}

const NUM = String.raw`-?\d+(?:\.\d+)?`;
const CJK_NUM = String.raw`-?\d+(?:\.\d+)?|[零〇一二两兩三四五六七八九十]+`;
const EN_HOURS = String.raw`h|hrs?|hours?`;
const EN_MINUTES = String.raw`m|mins?|minutes?`;

interface Rule {
  readonly pattern: RegExp;
  readonly minutes: (m: RegExpExecArray) => number;
}

const num = (s: string | undefined): number => (s === undefined ? 0 : readNumber(s));

// Order matters: longer forms first so `1 hour 30 minutes` is one duration, not two.
const RULES: readonly Rule[] = [
  {
    // for 1h30 / for 1 hour 30 minutes / for 1h 30m / for 2 hours / for 1.5h
    pattern: new RegExp(
      String.raw`(?<!\bin\s+)\b(?:for\s+)?(${NUM})\s*(?:${EN_HOURS})(?:\s*(?:and\s+)?(\d+)\s*(?:${EN_MINUTES})?)?(?![\p{L}\d])`,
      'iu',
    ),
    minutes: (m) => num(m[1]) * 60 + num(m[2]),
  },
  {
    // for an hour / for one hour and a half / an hour and a half
    pattern: /(?<!\bin\s+)\b(?:for\s+)?(?:an?|one)\s+hour(\s+and\s+a\s+half)?\b/iu,
    minutes: (m) => (m[1] === undefined ? 60 : 90),
  },
  {
    pattern: /(?<!\bin\s+)\b(?:for\s+)?half\s+an?\s+hour\b/iu,
    minutes: () => 30,
  },
  {
    // for 45 min / for 90 minutes / 45m
    pattern: new RegExp(String.raw`(?<!\bin\s+)\b(?:for\s+)?(${NUM})\s*(?:${EN_MINUTES})(?![\p{L}\d])`, 'iu'),
    minutes: (m) => num(m[1]),
  },
  {
    // 1小时 / 1个小时 / 两个钟头 / 1小时半 / 1小时30分钟 / 1時間 / 1時間半 / 1時間30分
    pattern: new RegExp(
      String.raw`(?:时长|時長|持续)?(${CJK_NUM})\s*个?\s*(?:小时|小時|钟头|時間)(半)?(?:\s*(${CJK_NUM})\s*(?:分钟|分鐘|分間|分))?(?![后後以之前])`,
      'u',
    ),
    minutes: (m) => num(m[1]) * 60 + (m[2] === undefined ? 0 : 30) + num(m[3]),
  },
  {
    pattern: /半\s*个?\s*(?:小时|小時|钟头|時間)(?![后後以之前])/u,
    minutes: () => 30,
  },
  {
    // 45分钟 / 45分 / 45分間 — but not the minutes of a clock time (`15時45分`, `3点45分`, `15:45`),
    // nor a relative start (`30分钟后`, `30分後`).
    pattern: new RegExp(
      String.raw`(?<![時时点點:\d半])(${CJK_NUM})\s*(?:分钟|分鐘|分間|分)(?![后後以之前からまでに钟])`,
      'u',
    ),
    minutes: (m) => num(m[1]),
  },
];

/** The first duration phrase in `text`, or undefined. */
export function findDuration(text: string): DurationMatch | undefined {
  let best: DurationMatch | undefined;
  for (const rule of RULES) {
    const m = rule.pattern.exec(text);
    if (m === null) continue;
    const minutes = rule.minutes(m);
    if (Number.isNaN(minutes)) continue;
    // The earliest match in the text wins; on a tie the earlier (longer) rule does.
    if (best === undefined || m.index < best.index) best = { minutes, index: m.index, length: m[0].length };
  }
  return best;
}
