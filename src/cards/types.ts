/**
 * A typed subset of Adaptive Card 1.5 (https://adaptivecards.io/explorer/): the elements and actions Convene's cards
 * use or are likely to, as unions discriminated on `type`. No interface has an index signature, so a misspelt
 * property (`heigth`) or a value outside an enum fails `tsc` (test/unit/cards/types.test.ts proves it). Teams'
 * additions (`msteams` width and mentions) follow
 * https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format.
 */

export type Spacing = 'none' | 'small' | 'default' | 'medium' | 'large' | 'extraLarge' | 'padding';
export type TextColor = 'default' | 'dark' | 'light' | 'accent' | 'good' | 'warning' | 'attention';
export type TextSize = 'small' | 'default' | 'medium' | 'large' | 'extraLarge';
export type TextWeight = 'lighter' | 'default' | 'bolder';
export type HorizontalAlignment = 'left' | 'center' | 'right';
export type VerticalAlignment = 'top' | 'center' | 'bottom';
export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
export type ActionStyle = 'default' | 'positive' | 'destructive';

/** Properties every body element has. */
interface ElementBase {
  readonly id?: string;
  readonly spacing?: Spacing;
  readonly separator?: boolean;
  readonly isVisible?: boolean;
  readonly height?: 'auto' | 'stretch';
}

export interface TextBlock extends ElementBase {
  readonly type: 'TextBlock';
  readonly text: string;
  readonly wrap?: boolean;
  readonly maxLines?: number;
  readonly size?: TextSize;
  readonly weight?: TextWeight;
  readonly color?: TextColor;
  readonly isSubtle?: boolean;
  readonly fontType?: 'default' | 'monospace';
  readonly horizontalAlignment?: HorizontalAlignment;
  readonly style?: 'default' | 'heading';
}

export interface Fact {
  readonly title: string;
  readonly value: string;
}

export interface FactSet extends ElementBase {
  readonly type: 'FactSet';
  readonly facts: readonly Fact[];
}

interface ContainerBase extends ElementBase {
  readonly items: readonly CardElement[];
  readonly style?: ContainerStyle;
  readonly verticalContentAlignment?: VerticalAlignment;
  readonly bleed?: boolean;
  readonly minHeight?: `${number}px`;
  readonly selectAction?: SelectAction;
}

export interface Container extends ContainerBase {
  readonly type: 'Container';
}

/** `auto`, `stretch`, a relative weight or a pixel width. */
export type ColumnWidth = 'auto' | 'stretch' | number | `${number}px`;

export interface Column extends ContainerBase {
  readonly type: 'Column';
  readonly width?: ColumnWidth;
}

export interface ColumnSet extends ElementBase {
  readonly type: 'ColumnSet';
  readonly columns: readonly Column[];
  readonly style?: ContainerStyle;
  readonly bleed?: boolean;
  readonly horizontalAlignment?: HorizontalAlignment;
  readonly selectAction?: SelectAction;
}

export interface ActionSet extends ElementBase {
  readonly type: 'ActionSet';
  readonly actions: readonly CardAction[];
}

interface InputBase extends ElementBase {
  readonly id: string;
  readonly label?: string;
  readonly isRequired?: boolean;
  readonly errorMessage?: string;
}

export interface InputText extends InputBase {
  readonly type: 'Input.Text';
  readonly value?: string;
  readonly placeholder?: string;
  readonly maxLength?: number;
  readonly isMultiline?: boolean;
  readonly regex?: string;
  /** `password` masks the input (1.5). */
  readonly style?: 'text' | 'tel' | 'url' | 'email' | 'password';
}

export interface InputDate extends InputBase {
  readonly type: 'Input.Date';
  /** yyyy-MM-dd, like `min` and `max` */
  readonly value?: string;
  readonly min?: string;
  readonly max?: string;
  readonly placeholder?: string;
}

export interface InputTime extends InputBase {
  readonly type: 'Input.Time';
  /** HH:mm, like `min` and `max` */
  readonly value?: string;
  readonly min?: string;
  readonly max?: string;
  readonly placeholder?: string;
}

export interface InputNumber extends InputBase {
  readonly type: 'Input.Number';
  readonly value?: number;
  readonly min?: number;
  readonly max?: number;
  readonly placeholder?: string;
}

export interface InputToggle extends InputBase {
  readonly type: 'Input.Toggle';
  readonly title: string;
  readonly value?: string;
  readonly valueOn?: string;
  readonly valueOff?: string;
  readonly wrap?: boolean;
}

export interface Choice {
  readonly title: string;
  readonly value: string;
}

export interface InputChoiceSet extends InputBase {
  readonly type: 'Input.ChoiceSet';
  readonly choices: readonly Choice[];
  /** The selected value; several are comma-separated when `isMultiSelect`. */
  readonly value?: string;
  readonly isMultiSelect?: boolean;
  /** `filtered` is the 1.5 type-ahead list. */
  readonly style?: 'compact' | 'expanded' | 'filtered';
  readonly placeholder?: string;
  readonly wrap?: boolean;
}

export type CardInput = InputText | InputDate | InputTime | InputNumber | InputToggle | InputChoiceSet;

export type CardElement = TextBlock | FactSet | Container | ColumnSet | ActionSet | CardInput;

/** JSON-safe data carried by actions. */
export type ActionData = Readonly<Record<string, string | number | boolean>>;

/** Properties every action has; Convene's buttons always have a title. */
interface ActionBase {
  readonly title: string;
  readonly id?: string;
  readonly iconUrl?: string;
  readonly tooltip?: string;
  readonly isEnabled?: boolean;
  readonly mode?: 'primary' | 'secondary';
  readonly style?: ActionStyle;
}

export interface OpenUrlAction extends ActionBase {
  readonly type: 'Action.OpenUrl';
  readonly url: string;
}

/**
 * Teams' `msteams` data on an Action.Submit: `imBack` posts `value` into the chat as the user's own message, sent to
 * the bot (learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-actions, "Adaptive Cards
 * actions": imBack).
 */
export interface ImBackData {
  readonly msteams: { readonly type: 'imBack'; readonly value: string };
}

export interface SubmitAction extends ActionBase {
  readonly type: 'Action.Submit';
  readonly data?: ActionData | ImBackData;
  readonly associatedInputs?: 'auto' | 'none';
}

/** Universal Action; Teams sends it as the `adaptiveCard/action` invoke. The fallback serves clients without 1.4+. */
export interface ExecuteAction extends ActionBase {
  readonly type: 'Action.Execute';
  readonly verb: string;
  readonly data?: ActionData;
  readonly associatedInputs?: 'auto' | 'none';
  readonly fallback?: SubmitAction | 'drop';
}

export interface ShowCardAction extends ActionBase {
  readonly type: 'Action.ShowCard';
  readonly card: NestedCard;
}

export interface TargetElement {
  readonly elementId: string;
  readonly isVisible?: boolean;
}

export interface ToggleVisibilityAction extends ActionBase {
  readonly type: 'Action.ToggleVisibility';
  readonly targetElements: ReadonlyArray<string | TargetElement>;
}

export type CardAction = OpenUrlAction | SubmitAction | ExecuteAction | ShowCardAction | ToggleVisibilityAction;

/** What a tap on a container may do: any action except Action.ShowCard (schema rule). */
export type SelectAction = Exclude<CardAction, ShowCardAction>;

/** The card inside an Action.ShowCard (no version or refresh of its own). */
export interface NestedCard {
  readonly type: 'AdaptiveCard';
  readonly body: readonly CardElement[];
  readonly actions?: readonly CardAction[];
}

export interface Refresh {
  readonly action: {
    readonly type: 'Action.Execute';
    readonly verb: string;
    readonly data?: ActionData;
    readonly title?: string;
  };
  /** At most 60 MRIs; `[]` means manual refresh only. */
  readonly userIds: readonly string[];
}

/** A mention inside a card: `text` (`<at>Name</at>`) must appear in a TextBlock of the card. */
export interface MentionEntity {
  readonly type: 'mention';
  readonly text: string;
  readonly mentioned: { readonly id: string; readonly name: string };
}

/** Teams' own card properties. */
export interface MsTeamsCardProperties {
  readonly width?: 'Full';
  readonly entities?: readonly MentionEntity[];
}

export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly $schema: typeof ADAPTIVE_CARD_SCHEMA;
  readonly version: '1.5';
  readonly fallbackText?: string;
  readonly speak?: string;
  readonly lang?: string;
  readonly refresh?: Refresh;
  readonly msteams?: MsTeamsCardProperties;
  readonly verticalContentAlignment?: VerticalAlignment;
  readonly minHeight?: `${number}px`;
  readonly selectAction?: SelectAction;
  readonly body: readonly CardElement[];
  readonly actions?: readonly CardAction[];
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** A Bot Framework attachment carrying an Adaptive Card. */
export interface AdaptiveCardAttachment {
  readonly contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  readonly content: AdaptiveCard;
}

/** Teams' limit for a card (message-extension results; we hold every card to it). */
export const MAX_CARD_BYTES = 28 * 1024;
