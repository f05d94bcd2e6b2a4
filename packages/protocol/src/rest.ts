/** Response bodies of the REST API (request bodies are the schemas in schemas.ts). */
import type { AgentDto, ConversationSummaryDto, MessageDto, SiteDto } from './model.js';

export interface MeResponse { agent: AgentDto }
export interface ConversationListResponse { conversations: ConversationSummaryDto[] }
export interface ConversationDetailResponse { conversation: ConversationSummaryDto; messages: MessageDto[] }
export interface ConversationResponse { conversation: ConversationSummaryDto }
export interface SiteListResponse { sites: SiteDto[] }
export interface HealthResponse { status: 'ok'; version: string }
