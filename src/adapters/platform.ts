import type { Platform } from '../chat/interaction';
import type { Clock, Sender } from '../chat/ports';
import type { Router } from '../chat/router';
import type { Config } from '../config';
import type { Db } from '../db/connect';
import type { HttpApp } from '../http/server';
import type { Logger } from '../logger';
import type { Pacer } from '../pacing/pacer';

export interface PlatformDeps {
  config: Config;
  db: Db;
  logger: Logger;
  /** Spaces sends to the platforms' rate limits (shared through Redis when there is one). */
  pacer: Pacer;
  clock: Clock;
}

/** One chat platform: sends for jobs on every role; receives interactions on the web role. */
export interface PlatformAdapter {
  platform: Platform;
  sender: Sender;
  /** Paths it serves on the shared HTTP app (for metrics labels). */
  routes: string[];
  /** Adds its routes to the HTTP app (or connects Socket Mode) and hands interactions to the router. */
  attach(http: HttpApp, router: Router): Promise<void>;
  close(): Promise<void>;
}
