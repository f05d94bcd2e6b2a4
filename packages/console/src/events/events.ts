/**
 * Events the console's elements use to talk upwards to `<direturn-console>`. All of them bubble
 * and are composed, so they cross shadow roots; the root element listens and talks to the server.
 */
import type { AgentDto, LanguageCode } from '@direturn/protocol';

const init: EventInit = { bubbles: true, composed: true };

/** The login form signed an agent in. */
export class LoginEvent extends Event {
  static readonly eventName = 'direturn-login';
  readonly agent: AgentDto;
  constructor(agent: AgentDto) {
    super(LoginEvent.eventName, init);
    this.agent = agent;
  }
}

/** The agent asked to sign out. */
export class LogoutEvent extends Event {
  static readonly eventName = 'direturn-logout';
  constructor() {
    super(LogoutEvent.eventName, init);
  }
}

/** The agent wants to take a waiting conversation. */
export class ClaimEvent extends Event {
  static readonly eventName = 'direturn-claim';
  readonly conversationId: string;
  constructor(conversationId: string) {
    super(ClaimEvent.eventName, init);
    this.conversationId = conversationId;
  }
}

/** The agent selected one of their conversations. */
export class OpenConversationEvent extends Event {
  static readonly eventName = 'direturn-open-conversation';
  readonly conversationId: string;
  constructor(conversationId: string) {
    super(OpenConversationEvent.eventName, init);
    this.conversationId = conversationId;
  }
}

/** The agent wants to leave the open conversation (narrow layouts: back to the lists). */
export class BackToListEvent extends Event {
  static readonly eventName = 'direturn-back-to-list';
  constructor() {
    super(BackToListEvent.eventName, init);
  }
}

/** The composer submitted a reply. */
export class SendEvent extends Event {
  static readonly eventName = 'direturn-send';
  readonly conversationId: string;
  readonly body: string;
  constructor(conversationId: string, body: string) {
    super(SendEvent.eventName, init);
    this.conversationId = conversationId;
    this.body = body;
  }
}

/** The agent started or stopped typing a reply. */
export class TypingEvent extends Event {
  static readonly eventName = 'direturn-typing';
  readonly conversationId: string;
  readonly active: boolean;
  constructor(conversationId: string, active: boolean) {
    super(TypingEvent.eventName, init);
    this.conversationId = conversationId;
    this.active = active;
  }
}

/** The agent wants to close a conversation. */
export class CloseConversationEvent extends Event {
  static readonly eventName = 'direturn-close-conversation';
  readonly conversationId: string;
  constructor(conversationId: string) {
    super(CloseConversationEvent.eventName, init);
    this.conversationId = conversationId;
  }
}

/** The agent switched the console's interface language. */
export class LanguageChangeEvent extends Event {
  static readonly eventName = 'direturn-language-change';
  readonly language: LanguageCode;
  constructor(language: LanguageCode) {
    super(LanguageChangeEvent.eventName, init);
    this.language = language;
  }
}

/** The agent finished two-factor enrolment (and confirmed they stored the recovery codes). */
export class TotpEnabledEvent extends Event {
  static readonly eventName = 'direturn-totp-enabled';
  constructor() {
    super(TotpEnabledEvent.eventName, init);
  }
}

/** The signed-in agent changed (own languages saved, 2FA turned on or off); `agent` is the new state. */
export class AgentUpdatedEvent extends Event {
  static readonly eventName = 'direturn-agent-updated';
  readonly agent: AgentDto;
  constructor(agent: AgentDto) {
    super(AgentUpdatedEvent.eventName, init);
    this.agent = agent;
  }
}

/** The agent wants to download a conversation as a JSON file. */
export class ExportConversationEvent extends Event {
  static readonly eventName = 'direturn-export-conversation';
  readonly conversationId: string;
  constructor(conversationId: string) {
    super(ExportConversationEvent.eventName, init);
    this.conversationId = conversationId;
  }
}

/** An admin confirmed deleting a conversation for good. */
export class DeleteConversationEvent extends Event {
  static readonly eventName = 'direturn-delete-conversation';
  readonly conversationId: string;
  constructor(conversationId: string) {
    super(DeleteConversationEvent.eventName, init);
    this.conversationId = conversationId;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'direturn-login': LoginEvent;
    'direturn-logout': LogoutEvent;
    'direturn-claim': ClaimEvent;
    'direturn-open-conversation': OpenConversationEvent;
    'direturn-back-to-list': BackToListEvent;
    'direturn-send': SendEvent;
    'direturn-typing': TypingEvent;
    'direturn-close-conversation': CloseConversationEvent;
    'direturn-language-change': LanguageChangeEvent;
    'direturn-totp-enabled': TotpEnabledEvent;
    'direturn-agent-updated': AgentUpdatedEvent;
    'direturn-export-conversation': ExportConversationEvent;
    'direturn-delete-conversation': DeleteConversationEvent;
  }
}
