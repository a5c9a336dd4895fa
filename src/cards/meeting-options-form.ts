import { t } from '../i18n/index';
import type { MeetingOptions } from '../meetings/types';
import { execute, showCard } from './builders';
import type { ActionData, CardElement, InputChoiceSet, InputToggle, ShowCardAction } from './types';

/**
 * Input ids of the organizer's Options form (verb `options`). Values are Graph v1.0's own enum members
 * (onlineMeeting `allowedPresenters`, `allowMeetingChat`; lobbyBypassSettings `scope`), or `default` for "as Teams
 * has it"; toggles post 'true'/'false'.
 */
export const MEETING_OPTIONS_INPUTS = {
  lobby: 'optLobby',
  dialIn: 'optDialIn',
  presenters: 'optPresenters',
  record: 'optRecord',
  chat: 'optChat',
} as const;

const LOBBY = ['everyone', 'organization', 'organizationExcludingGuests', 'invited', 'organizer'] as const;
const PRESENTERS = ['everyone', 'organization', 'organizer'] as const;
const CHAT = ['enabled', 'limited', 'disabled'] as const;

/** The Options ShowCard on the organizer's card, prefilled with the meeting's options. */
export function meetingOptionsForm(locale: string, options: MeetingOptions, data: ActionData): ShowCardAction {
  const choice = (
    id: string,
    label: string,
    value: string,
    choices: { title: string; value: string }[],
  ): InputChoiceSet => ({
    type: 'Input.ChoiceSet',
    id,
    label,
    value,
    style: 'compact',
    choices: [{ title: t(locale, 'option.lobby.default'), value: 'default' }, ...choices],
  });
  const toggle = (id: string, title: string, on: boolean | undefined): InputToggle => ({
    type: 'Input.Toggle',
    id,
    title,
    value: on ? 'true' : 'false',
    valueOn: 'true',
    valueOff: 'false',
    wrap: true,
  });
  const body: CardElement[] = [
    choice(
      MEETING_OPTIONS_INPUTS.lobby,
      t(locale, 'option.lobby'),
      options.lobbyScope ?? 'default',
      LOBBY.map((v) => ({ title: t(locale, `option.lobby.${v}`), value: v })),
    ),
    toggle(MEETING_OPTIONS_INPUTS.dialIn, t(locale, 'option.dialIn'), options.dialInBypassesLobby),
    choice(
      MEETING_OPTIONS_INPUTS.presenters,
      t(locale, 'option.presenters'),
      options.allowedPresenters === 'roleIsPresenter' ? 'default' : (options.allowedPresenters ?? 'default'),
      PRESENTERS.map((v) => ({ title: t(locale, `option.presenters.${v}`), value: v })),
    ),
    toggle(MEETING_OPTIONS_INPUTS.record, t(locale, 'option.record'), options.recordAutomatically),
    choice(
      MEETING_OPTIONS_INPUTS.chat,
      t(locale, 'option.chat'),
      options.allowMeetingChat ?? 'default',
      CHAT.map((v) => ({ title: t(locale, `option.chat.${v}`), value: v })),
    ),
  ];
  return showCard(t(locale, 'meeting.optionsTitle'), body, [
    execute('options', t(locale, 'option.save'), data, { style: 'positive' }),
  ]);
}
