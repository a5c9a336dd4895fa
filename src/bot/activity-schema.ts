import { z } from 'zod';

/**
 * The envelope of an activity posted to /api/messages, checked before botbuilder sees it (design.md §6: a client
 * error is never answered with 5xx). Only what botbuilder and Convene dereference is checked: botbuilder throws
 * (→ 500) on a non-string conversation id or a missing conversation, and Convene's readers expect the documented
 * types. Unknown fields pass through; each handler still validates its own `value` in depth.
 */
const str = z.string().max(64 * 1024);
const account = z.looseObject({ id: str.nullish(), name: str.nullish(), aadObjectId: str.nullish() });

const activityEnvelope = z.looseObject({
  type: z.string().min(1).max(100),
  id: str.nullish(),
  name: str.nullish(),
  channelId: str.nullish(),
  serviceUrl: z
    .string()
    .max(2048)
    .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), { message: 'must be an http(s) URL' }),
  conversation: z.looseObject({
    id: z.string().min(1).max(1024),
    conversationType: str.nullish(),
    tenantId: str.nullish(),
    isGroup: z.boolean().nullish(),
  }),
  from: account.nullish(),
  recipient: account.nullish(),
  text: str.nullish(),
  locale: str.nullish(),
  localTimezone: str.nullish(),
  replyToId: str.nullish(),
  entities: z.array(z.looseObject({ type: str })).nullish(),
  attachments: z.array(z.looseObject({})).nullish(),
  channelData: z.looseObject({}).nullish(),
  membersAdded: z.array(account).nullish(),
  membersRemoved: z.array(account).nullish(),
  action: str.nullish(),
});

const object = z.looseObject({});
/** Invoke `value`s by name: the outer shape Teams always sends (protocol reference §3.3, §4.3, §4.5). */
const INVOKE_VALUES: Readonly<Record<string, z.ZodType>> = {
  'signin/tokenExchange': z.looseObject({ id: z.string(), token: z.string(), connectionName: z.string().nullish() }),
  'signin/verifyState': object.nullish(),
  'signin/failure': object.nullish(),
  'adaptiveCard/action': z.looseObject({
    action: z.looseObject({ type: z.string(), verb: z.string().nullish(), data: z.unknown() }),
    trigger: z.string().nullish(),
  }),
  'composeExtension/fetchTask': z.looseObject({ commandId: z.string().nullish() }),
  'composeExtension/submitAction': z.looseObject({
    commandId: z.string().nullish(),
    botMessagePreviewAction: z.string().nullish(),
  }),
  'composeExtension/query': z.looseObject({
    commandId: z.string().nullish(),
    parameters: z.array(z.looseObject({ name: z.string().nullish() })).nullish(),
  }),
  'composeExtension/queryLink': z.looseObject({ url: z.string().nullish() }),
  'composeExtension/selectItem': z.unknown(),
};

/** Why the body is not an activity Convene can process (the 400's message), or undefined when it is. */
export function activityProblem(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return 'The body must be a JSON activity with a "type".';
  const envelope = activityEnvelope.safeParse(body);
  if (!envelope.success) return `The activity is malformed: ${describe(envelope.error)}.`;
  const activity = envelope.data;
  if (activity.type !== 'invoke') return undefined;
  const name = activity.name ?? '';
  const value = INVOKE_VALUES[name] ?? (name.startsWith('composeExtension/') ? object : undefined);
  if (!value) return undefined;
  const parsed = value.safeParse((body as { value?: unknown }).value);
  return parsed.success ? undefined : `The value of the ${name} invoke is malformed: ${describe(parsed.error)}.`;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(root)'} ${issue.message}` : 'invalid';
}
