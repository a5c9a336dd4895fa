import type { StringTable } from './en';

/** Japanese. */
export const ja: StringTable = {
  'app.name': 'Convene',

  'meeting.join': '参加',
  'meeting.when': '日時',
  'meeting.meetingId': '会議 ID',
  'meeting.passcode': 'パスコード',
  'meeting.organizer': '開催者',
  'meeting.invited': '招待者',
  'meeting.presenter': '発表者',
  'meeting.demoted': '出席者として追加: 組織外のユーザーは発表者になれません',
  'meeting.moreAttendees': 'ほか {count} 人',
  'meeting.dialIn': '電話で参加',
  'meeting.tollNumber': '電話番号',
  'meeting.tollFreeNumber': 'フリーダイヤル',
  'meeting.conferenceId': '電話会議 ID',
  'meeting.findLocalNumber': '地域の電話番号を検索',
  'meeting.channelBound': 'この会議はこのチャネルに属しています。会議のチャットはチャネルの会話です。',
  'meeting.channelFallback':
    'この会議はチャネルに関連付けられていません。ここではチャネル会議が許可されなかったため、通常の会議として作成しました。',
  'meeting.liveEvent': 'ライブ イベント: 出席者は配信を視聴し、発表者は参加して発表します。',
  'meeting.addToCalendar': '予定表に追加',
  'meeting.cancelledTitle': 'キャンセル済み: {subject}',
  'meeting.cancelledNote': 'この会議はキャンセルされました。',
  'meeting.noSubject': '(件名なし)',
  'meeting.reschedule': '日時を変更',
  'meeting.rename': '名前を変更',
  'meeting.cancel': '会議をキャンセル',
  'meeting.refresh': '更新',
  'meeting.newLike': '同様の会議を作成',
  'meeting.manage': '管理',
  'meeting.date': '日付',
  'meeting.time': '開始時刻',
  'meeting.duration': '時間 (分)',
  'meeting.subject': '件名',
  'meeting.save': '保存',
  'meeting.create': '作成',
  'meeting.cancelConfirm': '全員に対してこの会議をキャンセルしますか? 元に戻すことはできません。',
  'meeting.cancelYes': 'はい、キャンセルします',
  'meeting.rescheduled': '日時を変更しました',
  'meeting.renamed': '名前を変更しました',
  'meeting.updated': '更新しました',

  'help.title': 'Convene はチャットから Teams 会議を作成します',
  'help.intro': 'チャネルで私をメンションするか、チャットで私にメッセージを送ってください:',
  'help.cmdMeet': '会議を作成します。日時、時間、"passcode" (パスコード)、"live" (ライブ) を追加できます',
  'help.cmdHelp': 'このヘルプを表示します',
  'help.cmdSignout': 'Convene からサインアウトします',
  'help.compose': 'メッセージ ボックス (⋯ → Convene) からフォームに入力して使うこともできます。',
  'help.examples': '例',
  'example.1': 'meet Sprint review tomorrow 3pm for 45 min passcode',
  'example.2': 'meet Design sync Friday 10:30 for 30 min',
  'example.3': 'new All hands next Monday 9am for 1 hour live',

  'usage.title': '内容を理解できませんでした',
  'usage.reason': '読み取れなかった部分: {reason}',
  'usage.tryOne': '次のように送ってみてください:',
  'usage.invalid.duration': '会議の長さは 0 分より長く 24 時間以内にしてください。',
  'usage.invalid.end': '終了時刻が開始時刻より後になっていません。',
  'usage.invalid.conflict': '終了時刻と長さが食い違っています。どちらか一方を指定してください。',

  'welcome.title': 'こんにちは、Convene です',
  'welcome.personal': '予定を教えてください。Teams 会議を作成してリンクをお送りします。',
  'welcome.groupChat': '予定と一緒に私をメンションすると、このチャット用の Teams 会議を作成します。',
  'welcome.team': 'チャネルで @Convene とメンションすると、チャネルに属する会議を作成します。',

  'clarify.pastTitle': 'その日時はすでに過ぎています',
  'clarify.ambiguousTitle': 'どの日時のことですか?',
  'clarify.past': '指定された {when} はすでに過ぎています。次のいずれか、または下で別の日時を選んでください:',
  'clarify.ambiguous': '"{text}" は複数の日時を指す可能性があります。1 つ選ぶか、下で別の日時を選んでください:',
  'clarify.dismiss': 'キャンセル',

  'error.title': '問題が発生しました',
  'error.yourRequest': 'ご依頼の内容: {request}',
  'error.retry': '再試行',
  'error.retryHint': '[再試行] を押すか、もう一度送信してください。',
  'error.validation': '会議の内容に無効な項目があります。確認してもう一度送信してください。',
  'error.time_in_past': 'その日時はすでに過ぎています。未来の日時でもう一度送信してください。',
  'error.time_ambiguous':
    'どの日時か判断できませんでした。"tomorrow 3pm" のように日付と時刻を付けてもう一度送信してください。',
  'error.consent_required':
    'Convene があなたの代わりに会議を作成するには許可が必要です。サインインして同意すると、依頼の処理を続行します。',
  'error.sign_in_required': 'Convene が会議を作成できるようにサインインしてください。ご依頼は保持されています。',
  // arch-core (#16): one message per code (identity_mismatch split in three; link and in-progress codes of their own).
  'error.sso_token_rejected':
    'Teams のサインインを使用できませんでした。もう一度サインインすると、ご依頼が続行されます。',
  'error.wrong_account':
    'サインインしたアカウントが Teams のアカウントと異なります。Teams のアカウントでもう一度サインインしてください。',
  'error.not_your_request': 'このカードに応答できるのは、この会議を依頼した人だけです。',
  'error.sign_in_link_invalid':
    'このサインイン リンクは無効か、期限切れか、すでに使用されています。Teams に戻って Convene にもう一度依頼してください。',
  'error.create_in_progress':
    'Teams の応答が遅れています。もう一度 [作成] を押してください。会議が二重に作成されることはありません。',
  'error.graph_throttled':
    'Microsoft Teams が混み合っています。1 分後にもう一度お試しください。ご依頼は保持されています。',
  'error.graph_forbidden':
    'Teams により操作が許可されませんでした。組織で会議の作成が許可されていない可能性があります。管理者にお問い合わせください。',
  'error.graph_not_found': 'Teams でこの会議が見つかりませんでした。Convene 以外で削除された可能性があります。',
  'error.graph_bad_request':
    'Teams が会議の内容を受け付けませんでした。日時とオプションを確認してもう一度お試しください。',
  'error.graph_unavailable':
    '現在 Microsoft Teams に接続できません。数分後にもう一度お試しください。ご依頼は保持されています。',
  'error.graph_timeout':
    'Teams の応答がタイムアウトしました。[再試行] を押してください。会議が二重に作成されることはありません。',
  'error.live_events_unsupported':
    'ここではライブ イベントを作成できなくなりました。"live" を付けずにもう一度送信してください。',
  'error.channel_binding_refused':
    'このチャネルに関連付けた会議は許可されませんでした。通常の会議としては作成できます。',
  'error.not_organizer': 'この会議を変更できるのは開催者だけです。',
  'error.meeting_cancelled': 'この会議はキャンセルされているため変更できません。',
  'error.conflict': '他のユーザーが同時にこの会議を変更しました。カードを更新してもう一度お試しください。',
  'error.pending_expired': 'そのご依頼は期限切れです。もう一度送信してください。',
  'error.storage_unavailable': '現在 Convene は保存できません。1 分後にもう一度お試しください。',
  'error.auth_unavailable':
    '現在サインインを利用できません。1 分後にもう一度お試しください。ご依頼は保持されています。',
  'error.internal':
    'Convene で問題が発生しました。もう一度お試しください。繰り返し発生する場合は管理者にお問い合わせください。',

  'signin.title': 'Convene にサインイン',
  'signin.first': 'Teams 会議を作成するには、一度サインインしてください。',
  'signin.consent': 'Convene がオンライン会議を作成するには許可が必要です。サインインして同意してください。',
  'signin.expired': 'サインインの有効期限が切れました。続行するにはもう一度サインインしてください。',
  'signin.button': 'サインイン',
  'signin.kept': 'ご依頼は保持され、サインイン後に処理が続行されます。',
  'page.signedInTitle': 'サインインしました',
  'page.signedInText': 'Convene が Teams で会議を作成しています。このウィンドウは閉じてかまいません。',
  'page.failedTitle': 'サインインが完了しませんでした',
  'page.invalidLink':
    'このサインイン リンクは無効か、期限切れか、すでに使用されています。Teams に戻って Convene にもう一度依頼してください。',
  'page.cancelled': 'サインインがキャンセルまたは拒否されました。Teams に戻って Convene にもう一度依頼してください。',

  'notice.signInSentPrivately': '1 対 1 のチャットにサインインの案内をお送りしました。',
  'notice.notOrganizer': 'この会議を変更できるのは開催者だけです。',
  'notice.meetingCancelled': 'この会議はキャンセルされました。',
  'notice.requestExpired': 'そのご依頼は期限切れです。もう一度送信してください。',
  'notice.signedOut': 'Convene からサインアウトしました。',
  'notice.working': '会議を作成しています…',
  'notice.dismissed': 'わかりました。その会議は作成しません。',
  'notice.notYourRequest': 'このカードに応答できるのは、この会議を依頼した人だけです。',

  'form.title': '新しい Teams 会議',
  'form.subject': '件名',
  'form.subjectPlaceholder': '会議の内容は?',
  'form.date': '日付',
  'form.time': '開始時刻 ({timeZone})',
  'form.duration': '時間 (分)',
  'form.passcode': 'パスコードを要求する',
  'form.live': 'ライブ (Teams タウン ホール)',
  'form.required': 'この項目は必須です。',
  'form.create': '作成',
  'form.errorDate': '日付を入力してください (例: 2025-03-10)。',
  'form.errorTime': '開始時刻を入力してください (例: 14:30)。',
  'form.errorPast': 'この時刻は既に過ぎています。これからの時刻を選んでください。',
  'form.errorDuration': '時間は 5 分から 1440 分の間で入力してください。',
  'form.errorSubject': '件名は 255 文字以内にしてください。',
  'form.slow': 'Teams の応答が遅れています。もう一度 [作成] を押してください。会議が二重に作成されることはありません。',
  'compose.noMeetings': 'Convene で作成した会議はまだありません。',
  // harden-state: a create whose outcome is unknown (the "may exist" card and its "Create it anyway" button).
  'error.graph_outcome_unknown':
    '会議が作成されたかどうか Teams から応答がありませんでした。すでに存在する可能性があります。Teams の予定表またはこのチャットを確認してください。',
  'error.create_uncertain':
    'この会議が作成されたかどうか Teams から応答がなかったため、すでに存在する可能性があります。もう一度作成する前に、Teams の予定表またはこのチャットを確認してください。',
  'error.createAnyway': 'それでも作成',
  'error.createAnywayHint':
    '会議がすでに存在する場合、[それでも作成] を押すと参加リンクの異なる 2 つ目の会議が作成されます。',
  'form.createAgainRisk':
    '会議がすでに存在する場合、もう一度 [作成] を押すと参加リンクの異なる 2 つ目の会議が作成されます。',

  'compose.noMatch': '「{query}」に一致する Convene の会議はありません。',
  'compose.signIn': 'Convene にサインイン',

  // Town halls (issue #13, graph-townhall): `live` makes a Teams town hall.
  'error.townhall_refused':
    'タウン ホールを作成できませんでした。タウン ホールを含む Teams ライセンスと作成の権限が必要です。管理者に確認してから [再試行] を押してください。',
  'error.townhall_application_mode':
    'アプリケーションのアクセス許可ではタウン ホールを作成できません。管理者に委任サインインへの切り替えを依頼するか、「live」を付けずにもう一度送信してください。',
  'townhall.title': 'タウン ホール',
  'townhall.summary': 'Teams タウン ホール: 出席者は下のリンクから視聴し、あなたと共同開催者が発表します。',
  'townhall.join': 'タウン ホールに参加',
  'townhall.attendeeLink': '出席者用リンク',
  'townhall.coOrganizers': '共同開催者',
  'townhall.audience': '組織内の全員が参加できます',
  'townhall.cancel': 'タウン ホールをキャンセル',
  'townhall.cancelled': 'このタウン ホールはキャンセルされました。',
  'error.townhall_unchangeable':
    'タウン ホールの時間や件名は Teams で変更してください。Convene ではキャンセルできます。',
  'meeting.liveEventNotMade': 'Teams ではライブ イベントを作成できなくなりました。これは通常の会議です。',

  'preview.text': '{when} · {organizer}',

  // ── Conversation (issue #17): refusals that name the limit, greetings, channel help, clarify picker ──
  'usage.refusedTitle': 'その会議は作成できません',
  'usage.invalid.subject': '件名は {limit} 文字以内にしてください（今は {length} 文字です）。',
  'usage.notACommand': '「{word}」はコマンドではありません。会議、meet、new で始めるか、「ヘルプ」と送ってください',
  'help.introMention': 'メッセージの先頭で @Convene をメンションしてください:',
  'greeting.hello': 'こんにちは! Convene です。予定を伝えてくれれば Teams 会議を作成します。',
  'greeting.thanks': 'どういたしまして! ほかに予定はありますか?',
  'greeting.try': 'これを試すか、件名と日時を変えてください:',
  'greeting.suggestion': '会議 定例 明日10時 30分',
  'greeting.help': 'ヘルプを表示',
  'greeting.helpWord': 'ヘルプ',
  'clarify.unreadableTitle': '会議はいつにしますか?',
  'clarify.unreadable': '{words} を日時として読み取れませんでした。下で日付と時刻を選んでください:',
  'clarify.noSuggestion': '下で日付と時刻を選んでください:',
  'clarify.pickDate': '日付',
  'clarify.pickTime': '開始時刻 ({timeZone})',
  'clarify.create': 'この日時で作成',
  'clarify.pickedPast': 'その時刻はすでに過ぎています。これからの時刻を選んでください。',
  'clarify.pickBoth': '日付と開始時刻の両方を選んでください。',
  'form.errorSubjectEmpty': '会議の件名を入力してください。',
  // whole-chat (#15): invitees, change notices, meeting options, the lighter card.
  'notice.change.rescheduled': '{actor} さんが *{subject}* を {when} に変更しました',
  'notice.change.renamed': '{actor} さんが *{previous}* の名前を *{subject}* に変更しました',
  'notice.change.cancelled': '{actor} さんが *{subject}* をキャンセルしました',
  'notice.change.options': '{actor} さんが *{subject}* のオプションを変更しました: {summary}',
  'meeting.rosterLimit':
    'このチャットの全員を招待しました (最大 {count} 人)。メンバーがそれより多いため、ほかの人にはリンクを共有してください。',
  'meeting.linkLabel': '会議のリンク (選択してコピー)',
  'meeting.showDialIn': '電話で参加',
  'meeting.optionsTitle': 'オプション',
  'meeting.optionsPage': 'Teams でその他のオプション',
  'meeting.optionsSaved': 'オプションを保存しました',
  'option.lobby': 'ロビーをスキップ',
  'option.lobby.organizer': '開催者のみ',
  'option.lobby.organization': '組織内のユーザーとゲスト',
  'option.lobby.organizationAndFederated': '自組織と信頼できる組織のユーザー、ゲスト',
  'option.lobby.everyone': '全員',
  'option.lobby.invited': '招待された人のみ',
  'option.lobby.organizationExcludingGuests': '組織内のユーザー (ゲストを除く)',
  'option.lobby.default': '組織の設定どおり',
  'option.dialIn': '電話参加者はロビーをスキップ',
  'option.presenters': '発表できる人',
  'option.presenters.everyone': '全員',
  'option.presenters.organization': '組織内のユーザー',
  'option.presenters.roleIsPresenter': '発表者として招待された人',
  'option.presenters.organizer': '開催者のみ',
  'option.record': '自動的に録画',
  'option.recordOn': '自動録画',
  'option.chat': '会議チャット',
  'option.chat.enabled': 'オン',
  'option.chat.disabled': 'オフ',
  'option.chat.limited': '会議中のみ',
  'option.save': 'オプションを保存',
  'help.everyone':
    'グループ チャットやチャネルでは「全員」でチャットのメンバーを招待します (最大 250 人)。@メンションした人だけを招待することもできます。@メンションのない名前 (「Sam と」) では誰も招待されません。',
  'help.options':
    'オプション: 「ロビーなし」「招待者のみロビーをスキップ」「発表者は自分のみ」「録画」「チャットなし」。',
};
