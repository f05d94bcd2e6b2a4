// `direturn channels <kind> connect ID` and the console's "Connect" for Meta accounts: checks that
// the access token reaches the number / page (and learns its name), subscribes the app to the page
// (Messenger, Instagram), and makes the verify token the admin enters at Meta with the callback URL.
// The verify token is no secret in Meta's design (it only shows Meta that the URL answers for you;
// every event is authenticated by the app secret's signature), so it is a setting admins can read.
import { randomBytes } from 'node:crypto';
import type { ChannelAccount } from '../channel.js';
import type { GraphClient } from './graph.js';

const str = (x: unknown): string | undefined => (typeof x === 'string' && x ? x.slice(0, 200) : undefined);

export async function connectMetaAccount(graph: GraphClient, account: ChannelAccount): Promise<{ settings: Record<string, string> }> {
  const token = account.secrets.accessToken;
  if (!token) throw new Error('The account has no access token.');
  const settings: Record<string, string> = { verifyToken: account.settings.verifyToken || randomBytes(24).toString('base64url') };
  if (account.kind === 'whatsapp') {
    const phoneNumberId = account.settings.phoneNumberId!;
    const node = await graph.getNode('WhatsApp', phoneNumberId, token, ['display_phone_number', 'verified_name']);
    const display = str(node.display_phone_number);
    const name = str(node.verified_name);
    if (display) settings.displayPhoneNumber = display;
    if (name) settings.verifiedName = name;
  } else if (account.kind === 'messenger') {
    const pageId = account.settings.pageId!;
    const page = await graph.getNode('Messenger', pageId, token, ['name']);
    if (str(page.name)) settings.pageName = str(page.name)!;
    await graph.subscribePage('Messenger', pageId, token, ['messages', 'message_deliveries', 'messaging_postbacks']);
  } else if (account.kind === 'instagram') {
    const ig = await graph.getNode('Instagram', account.settings.instagramAccountId!, token, ['username']);
    if (str(ig.username)) settings.instagramUsername = str(ig.username)!;
    await graph.subscribePage('Instagram', account.settings.pageId!, token, ['messages']);
  }
  return { settings };
}
