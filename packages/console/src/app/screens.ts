/**
 * Every screen of the console, one line each; navigation follows this order. A new screen is a
 * folder with its element(s) and a `<name>.screen.ts` that calls `screens.register(…)`, plus one
 * line here (see docs/ARCHITECTURE.md, "A new console screen").
 */
import '../conversations/conversations.screen.js';
import '../search/search.screen.js';
import '../referrals/referrals.screen.js';
import '../saved-replies/saved-replies.screen.js';
import '../knowledge/knowledge.screen.js';
import '../orientation-editor/orientation.screen.js';
import '../profile/profile.screen.js';
import '../supervision/supervision.screen.js';
import '../admin/agents/agents.screen.js';
import '../admin/sites/sites.screen.js';
import '../channels/channels.screen.js';
import '../offices/offices.screen.js';
import '../admin/settings/settings.screen.js';
import '../admin/privacy/privacy.screen.js';
import '../admin/audit/audit.screen.js';

export { screens } from './screen-registry.js';
