/** The conversations screen: queue, one's own conversations and the open conversation, side by side. */
import { html } from 'lit';
import { screens } from '../app/screen-registry.js';
import '../conversation/direturn-conversation-view.js';
import '../conversation-work/direturn-conversation-work.js';
import '../call/direturn-call-panel.js';
import type { ClaimEvent, CloseConversationEvent, DeleteConversationEvent, ExportConversationEvent, OpenConversationEvent, SendEvent, TypingEvent } from '../events/events.js';
import { t } from '../i18n/i18n.js';
import '../queue/direturn-queue.js';
import './direturn-my-conversations.js';
import { workspaceStyles } from './workspace.styles.js';

screens.register({
  id: 'conversations',
  roles: ['counsellor', 'admin'],
  layout: 'own',
  realtime: true,
  styles: workspaceStyles,
  render: ({ api, agent, store, drafts }) => html`<main
    class="workspace"
    part="workspace"
    data-view=${store.mobileView}
    @direturn-claim=${(e: ClaimEvent) => void store.claim(e.conversationId)}
    @direturn-open-conversation=${(e: OpenConversationEvent) => void store.open(e.conversationId)}
    @direturn-send=${(e: SendEvent) => store.send(e.conversationId, e.body)}
    @direturn-typing=${(e: TypingEvent) => store.sendTyping(e.conversationId, e.active)}
    @direturn-close-conversation=${(e: CloseConversationEvent) => void store.close(e.conversationId)}
    @direturn-back-to-list=${store.back}
    @direturn-export-conversation=${(e: ExportConversationEvent) => void store.exportConversation(e.conversationId)}
    @direturn-delete-conversation=${(e: DeleteConversationEvent) => void store.deleteConversation(e.conversationId)}
  >
    <h1 class="visually-hidden">${t('app.workspace')}</h1>
    <div class="col queue-col">
      <direturn-queue .conversations=${store.queue} .claiming=${store.claiming} .agentLanguages=${agent.languages} .agentRegions=${agent.regions ?? []}></direturn-queue>
    </div>
    <div class="col mine-col">
      <direturn-my-conversations .conversations=${store.mine} .selectedId=${store.openId} .typing=${store.typing}></direturn-my-conversations>
    </div>
    <div class="main-col">
      <direturn-conversation-view
        .conversation=${store.openConversation}
        .messages=${store.openMessages}
        .outgoing=${store.openOutgoing}
        .loading=${store.openLoading}
        .drafts=${drafts}
        ?visitor-typing=${store.openId !== null && store.typing.has(store.openId)}
        ?can-delete=${agent.role === 'admin'}
        ?can-refer=${store.openConversation?.status === 'active' && store.openConversation.agentId === agent.id}
        ?can-correct-language=${store.openConversation?.status === 'waiting' || (store.openConversation?.status === 'active' && store.openConversation.agentId === agent.id)}
        .api=${api}
      ></direturn-conversation-view>
      <direturn-call-panel .conversation=${store.openConversation} .me=${agent}></direturn-call-panel>
      <direturn-conversation-work .api=${api} .conversation=${store.openConversation} .me=${agent}></direturn-conversation-work>
    </div>
  </main>`,
});
