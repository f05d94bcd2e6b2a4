/** Entry point of the console bundle: defines every element; `<direturn-console>` does the rest. */
export { DireturnConsole } from './app/direturn-console.js';
export { DireturnLogin } from './login/direturn-login.js';
export { DireturnQueue } from './queue/direturn-queue.js';
export { DireturnMyConversations } from './conversations/direturn-my-conversations.js';
export { DireturnConversationView } from './conversation/direturn-conversation-view.js';
export { AgentSocket } from './realtime/agent-socket.js';
export { ApiClient } from './api/api-client.js';
export { ApiError } from './api/api-error.js';
export * from './events/events.js';
