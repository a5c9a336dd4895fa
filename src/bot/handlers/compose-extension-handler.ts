import type { InvokeResponse, TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { ComposeMeetings } from '../compose/compose-meetings';
import { badRequest } from '../compose/compose-responses';
import { channelIdOf, readTurn, type TurnInfo } from '../turn-reader';
import type { UserRef } from '../../meetings/types';

/** Command ids from the app manifest (runtime contract §6). */
export const CREATE_MEETING_COMMAND = 'createMeeting';
export const RECENT_MEETINGS_COMMAND = 'recentMeetings';

// The Agents Playground sends an empty commandId unless one is typed, and query parameters without a name.
const commandId = z.string().max(64).optional();
const fetchTaskSchema = z.looseObject({ commandId, messagePayload: z.unknown().optional() });
const submitSchema = z.looseObject({
  commandId,
  data: z.unknown().optional(),
  botMessagePreviewAction: z.enum(['send', 'edit']).optional().catch(undefined),
  botActivityPreview: z.unknown().optional(),
});
const querySchema = z.looseObject({
  commandId,
  parameters: z
    .array(z.looseObject({ name: z.string().optional(), value: z.unknown().optional() }))
    .optional()
    .catch(undefined),
  queryOptions: z
    .object({
      skip: z.coerce.number().int().min(0).optional().catch(undefined),
      count: z.coerce.number().int().min(1).optional().catch(undefined),
    })
    .partial()
    .optional()
    .catch(undefined),
  authentication: z
    .looseObject({ token: z.string().min(1).max(16_384).optional() })
    .optional()
    .catch(undefined),
});

/** `composeExtension/fetchTask`, `/submitAction`, `/query`: read the invoke, hand it to ComposeMeetings. */
export class ComposeExtensionHandler {
  constructor(private readonly compose: ComposeMeetings) {}

  async fetchTask(context: TurnContext): Promise<InvokeResponse> {
    const read = readInvoke(context, fetchTaskSchema, 'fetchTask', CREATE_MEETING_COMMAND);
    if ('status' in read) return read;
    return this.compose.fetchTask(read.turn, read.value.messagePayload);
  }

  async submitAction(context: TurnContext): Promise<InvokeResponse> {
    const read = readInvoke(context, submitSchema, 'submitAction', CREATE_MEETING_COMMAND);
    if ('status' in read) return read;
    const { data, botMessagePreviewAction, botActivityPreview } = read.value;
    return this.compose.submit(context, read.turn, {
      data,
      ...(botMessagePreviewAction ? { botMessagePreviewAction } : {}),
      botActivityPreview,
    });
  }

  async query(context: TurnContext): Promise<InvokeResponse> {
    const read = readInvoke(context, querySchema, 'query', RECENT_MEETINGS_COMMAND);
    if ('status' in read) return read;
    const { value, turn } = read;
    // initialRun sends a parameter named "initialRun"; the search box sends `query` (the Playground: no name).
    // Copilot may fill any of query/from/to/organizer, and sends null or '' for the rest (dev-guidelines-agents).
    const parameters = (value.parameters ?? []).filter((p) => p.name !== 'initialRun');
    const named = (name: string): string | undefined => {
      const found = parameters.find((p) => p.name === name);
      return typeof found?.value === 'string' && found.value.trim() !== ''
        ? found.value.trim().slice(0, 200)
        : undefined;
    };
    const unnamed = parameters.find((p) => !p.name);
    const text = named('query') ?? (typeof unnamed?.value === 'string' ? unnamed.value : '');
    const token = value.authentication?.token;
    const from = named('from');
    const to = named('to');
    const organizer = named('organizer');
    return this.compose.query(turn, {
      text,
      skip: value.queryOptions?.skip ?? 0,
      count: value.queryOptions?.count ?? 25,
      ...(token ? { ssoToken: token } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(organizer ? { organizer } : {}),
    });
  }
}

type Signed = TurnInfo & { user: UserRef };

/** In a channel the meeting is bound to `channelData.channel.id`, whatever the conversation type says. */
function composeTurn(context: TurnContext): TurnInfo {
  const turn = readTurn(context);
  const fromChannelData = (context.activity.channelData as { channel?: { id?: string } } | undefined)?.channel?.id;
  return fromChannelData && !turn.channelId ? { ...turn, channelId: channelIdOf(context.activity) } : turn;
}

/** The invoke's value and who sent it, or the 400 that says what is wrong with it. */
function readInvoke<S extends z.ZodType<{ commandId?: string | undefined }>>(
  context: TurnContext,
  schema: S,
  name: string,
  command: string,
): { value: z.infer<S>; turn: Signed } | InvokeResponse {
  const value = schema.safeParse(context.activity.value ?? {});
  if (!value.success) return badRequest(`composeExtension/${name} needs a value object.`);
  const turn = composeTurn(context);
  const refused = check(value.data.commandId, command, turn);
  if (refused) return refused;
  return { value: value.data, turn: turn as Signed };
}

function check(given: string | undefined, expected: string, turn: TurnInfo): InvokeResponse | undefined {
  if (given && given !== expected) {
    return badRequest(
      `Unknown commandId "${given.slice(0, 64)}" for this invoke; Convene's commands are "${CREATE_MEETING_COMMAND}" (action) and "${RECENT_MEETINGS_COMMAND}" (search).`,
    );
  }
  if (!turn.user) return badRequest('The invoke has no Entra user (from.aadObjectId) or tenant; Convene needs both.');
  return undefined;
}
