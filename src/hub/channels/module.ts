// The SMS and social channels of the hub: mounts the Twilio, Meta and X webhooks, registers their
// senders with the core, and answers every refusal as JSON {code, message}. A provider without
// credentials stays off (503 naming the missing settings); the others work.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChannelSender, HubContext, HubModule, HubModuleFactory } from '../services';
import { ChannelStore } from './channelStore';
import { missingSettings } from './config';
import { ChannelHttpError, sendError, sendJson } from './http';
import { createMetaChannel, META_PATH } from './meta';
import { ChannelPipeline } from './pipeline';
import { createTwilioChannel, TWILIO_SMS_PATH, TWILIO_STATUS_PATH } from './twilio';
import { createXChannel, X_PATH } from './x';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

const PROVIDER_NAMES = { twilio: 'SMS (Twilio)', meta: 'Messenger and Instagram (Meta)', x: 'X DMs' } as const;

export interface ChannelsModule extends HubModule {
  /** The module's own tables (the archive, opt-outs), for the admin surface and tests. */
  store: ChannelStore;
}

export function createChannels(ctx: HubContext): ChannelsModule {
  const config = ctx.config.channels;
  const store = new ChannelStore(ctx.db);
  const pipeline = new ChannelPipeline(ctx, store, config);
  const routes = new Map<string, Handler>();

  const mount = (provider: keyof typeof PROVIDER_NAMES, paths: readonly string[], build: () => { handle: Handler; sender: ChannelSender }) => {
    const missing = missingSettings(config, provider);
    let handle: Handler;
    if (missing.length === 0) {
      const channel = build();
      // The core delivers agents' replies and auto-replies through it.
      ctx.conversations.registerSender(channel.sender);
      handle = channel.handle;
    } else {
      const sentence = `${PROVIDER_NAMES[provider]} is not set up on this hub; set ${missing.join(', ')}.`;
      ctx.log.info(`channels: ${sentence}`);
      handle = async () => {
        throw new ChannelHttpError(503, 'channels/not-configured', sentence);
      };
    }
    for (const path of paths) routes.set(path, handle);
  };

  mount('twilio', [TWILIO_SMS_PATH, TWILIO_STATUS_PATH], () => createTwilioChannel(ctx, config.twilio, store, pipeline));
  mount('meta', [META_PATH], () => createMetaChannel(ctx, config.meta, store, pipeline));
  mount('x', [X_PATH], () => createXChannel(ctx, config.x, store, pipeline));

  return {
    name: 'channels',
    store,
    async handleHttp(req, res, url) {
      const handle = routes.get(url.pathname);
      if (!handle) return false;
      try {
        await handle(req, res, url);
      } catch (e) {
        if (e instanceof ChannelHttpError) {
          // Refused requests are the provider's or an attacker's problem; keep them out of error logs.
          ctx.log.info(`channels: ${req.method ?? ''} ${url.pathname} refused with ${e.status} (${e.code})`);
          sendError(res, e);
        } else {
          ctx.log.error(`channels: ${req.method ?? ''} ${url.pathname} failed`, e);
          // 500 makes the provider retry later; nothing was acknowledged.
          if (!res.headersSent) sendJson(res, 500, { code: 'internal', message: 'The hub could not take this message now; it was not stored. The provider will retry.' });
        }
      }
      return true;
    },
  };
}

export const createChannelsModule: HubModuleFactory = createChannels;
