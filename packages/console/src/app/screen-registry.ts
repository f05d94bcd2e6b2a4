/**
 * The console's screens. A screen is one folder with a `*.screen.ts` that registers itself here,
 * plus one import line in `app/screens.ts`; the shell builds the navigation, the address and the
 * page from this list and never names a screen itself (see docs/ARCHITECTURE.md).
 */
import type { AgentDto } from '@direturn/protocol';
import type { CSSResultGroup, TemplateResult } from 'lit';
import type { ApiClient } from '../api/api-client.js';
import type { ConsoleStore } from './console-store.js';
import type { SessionController } from './session-controller.js';
import type { WorkNotifier } from '../notify/work-notifier.js';
import type { Drafts } from '../conversation/drafts.js';

export type Role = AgentDto['role'];

/** What a screen may use: the signed-in agent, the REST client and the shared state. */
export interface ScreenContext {
  api: ApiClient;
  agent: AgentDto;
  store: ConsoleStore;
  session: SessionController;
  notifier: WorkNotifier;
  drafts: Drafts;
  /** The part of the address after the screen's id (e.g. a conversation id), or null. */
  param: string | null;
}

export interface ScreenDefinition {
  /** Stable id: the nav button's `data-screen`, the address (`#/<id>`) and the nav label `nav.<id>`. */
  id: string;
  /** The nav label's text key when it lives in the screen's own text group (default `nav.<id>`). */
  label?: string;
  /** Who is offered the screen (the server checks every route too). */
  roles: readonly Role[];
  /**
   * `page` (default): the shell puts the result into its scrolling `<main class="page">` and moves
   * focus to the screen element's `h1` on entry. `own`: the screen renders its own `<main>`.
   */
  layout?: 'page' | 'own';
  /** The screen lists conversations: signing in with it starts the agent socket. */
  realtime?: boolean;
  /** Styles for a screen with its own layout (it renders inside the shell's shadow root). */
  styles?: CSSResultGroup;
  render(ctx: ScreenContext): TemplateResult;
}

export class ScreenRegistry {
  private readonly list: ScreenDefinition[] = [];

  /** Adds a screen; navigation follows the order of registration. */
  register(screen: ScreenDefinition): void {
    if (this.list.some((s) => s.id === screen.id)) throw new Error(`screen ${screen.id} registered twice`);
    this.list.push(screen);
  }

  get(id: string): ScreenDefinition | undefined {
    return this.list.find((s) => s.id === id);
  }

  /** The screens a role is offered, in navigation order. */
  for(role: Role | undefined): ScreenDefinition[] {
    return role ? this.list.filter((s) => s.roles.includes(role)) : [];
  }

  get all(): readonly ScreenDefinition[] {
    return this.list;
  }
}

/** The console's one registry; `app/screens.ts` fills it. */
export const screens = new ScreenRegistry();

/** A route: a screen and what follows it in the address (`#/conversations/c1`). */
export interface Route {
  screen: string;
  param: string | null;
}

export function parseRoute(hash: string): Route | null {
  const m = /^#\/([a-z][a-z0-9-]*)(?:\/([A-Za-z0-9_-]{1,128}))?\/?$/.exec(hash);
  if (!m) return null;
  return { screen: m[1]!, param: m[2] ?? null };
}

export function formatRoute(route: Route): string {
  return `#/${route.screen}${route.param ? `/${encodeURIComponent(route.param)}` : ''}`;
}
