/**
 * The @twurple/chat options for TWITCH_IRC_URL and the optional bot login. A pure function, so what the client is
 * told (host, TLS, port, auth) is tested without a socket.
 */
import { isIP, connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { StaticAuthProvider } from '@twurple/auth';
import { LogLevel, type ChatClientOptions } from '@twurple/chat';
import type { TwitchConfig } from '../config.ts';

export type TwurpleLog = (level: 'error' | 'warn', message: string) => void;

export function chatClientOptions(ircUrl: string, bot: TwitchConfig['bot'], log: TwurpleLog): ChatClientOptions {
  const url = new URL(ircUrl);
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new Error(`TWITCH_IRC_URL must be ws:// or wss://, not ${url.protocol}`);
  if (url.pathname !== '/' || url.search) throw new Error('TWITCH_IRC_URL must be a host and port, without a path or query');
  const ssl = url.protocol === 'wss:';
  // WHATWG URLs keep IPv6 hosts in brackets; the client puts `hostName` back into a URL, where they belong.
  const host = url.hostname;
  const options: ChatClientOptions = {
    hostName: host,
    ssl,
    webSocket: true,
    // Twitch's JOIN/PART stream is noise for votes (and stops past 1,000 chatters anyway).
    requestMembershipEvents: false,
    logger: {
      minLevel: LogLevel.WARNING,
      custom: (level, message) => log(level <= LogLevel.ERROR ? 'error' : 'warn', message),
    },
  };
  // twurple 8 takes a host name but no port: it connects to 443 (wss) or 80 (ws). For another port (the local
  // stand-in, a proxy) the socket under its WebSocket is opened by us, through `ws`'s `createConnection` option,
  // which twurple passes through as `connectionOptions.wsOptions`; the handshake is unchanged.
  if (url.port) {
    const port = Number(url.port);
    const bare = host.replace(/^\[|\]$/g, '');
    options.connectionOptions = {
      wsOptions: {
        createConnection: () => (ssl ? tlsConnect({ host: bare, port, ...(isIP(bare) ? {} : { servername: bare }) }) : netConnect({ host: bare, port })),
      },
    };
  }
  if (bot) {
    // The client id is only sent to Helix, never to the token check or chat, which is all this client does; the
    // token's own login (from that check) becomes the IRC nick.
    options.authProvider = new StaticAuthProvider('', bot.token);
  }
  return options;
}
