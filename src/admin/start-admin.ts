import type { Config } from '../config.js';
import type { Core } from '../core/index.js';
import type { Logger } from '../core/public-surface.js';
import { startAdminServer, type AdminServer } from './admin-server.js';

/** The admin page when ADMIN_PORT is set (after the core has started: it reads the state store). */
export async function startAdminPage(config: Config, core: Core, logger: Logger): Promise<AdminServer | undefined> {
  if (config.admin.port === 0) return undefined;
  const server = await startAdminServer({ port: config.admin.port, host: config.admin.host, token: config.admin.token, reports: core.admin, sessions: core.adminSessions, logger: logger.child({ component: 'admin' }) });
  logger.info({ url: server.url, showQuestions: config.admin.showQuestions }, 'admin page listening');
  return server;
}
