// GET/PUT /api/config and POST /api/restart (SPEC §1, issue 14). Control routes under /api: the
// request guard (same origin, JSON bodies only) and admin auth cover them like every other.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { SettingsDocument, SettingsProblem } from '../../../common/config-api.js';
import { sendError } from '../../platform/http/error-handler.js';
import { ConfigWriteError } from './file-store.js';
import { ConfigInvalid, type SettingsService } from './service.js';
import { isObj } from './document.js';

export interface SettingsRoutesDeps {
  settings: SettingsService;
  /** Restarts the server in place (main.ts); absent when the app is embedded (tests). */
  restart?: () => void;
}

const tags = ['settings'];
/** Redaction name lists make the largest documents; a few MB is far above any real one. */
const BODY_LIMIT = 4 * 1024 * 1024;

const ConfigUpdateBody = Type.Object(
  {
    settings: Type.Unknown({
      description: "The config file's document (SettingsDocument); secrets: SECRET_MASK keeps, null clears",
    }),
    revision: Type.Optional(
      Type.String({
        maxLength: 64,
        description:
          'The revision GET /api/config gave (or send it as If-Match): refused with 409 CONFIG_CHANGED when the file changed since',
      }),
    ),
  },
  { additionalProperties: false },
);

function invalid(reply: FastifyReply, message: string, problems: SettingsProblem[]) {
  return reply.code(400).send({ error: { code: 'CONFIG_INVALID', message, problems } });
}

export async function settingsRoutes(fastify: FastifyInstance, d: SettingsRoutesDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  let restarting = false;

  app.get(
    '/api/config',
    {
      schema: {
        summary: 'The settings in effect (secrets masked), where each comes from, the file state',
        tags,
      },
    },
    async (_req, reply) => {
      const view = d.settings.view();
      void reply.header('etag', `"${view.revision}"`);
      return view;
    },
  );

  app.put(
    '/api/config',
    {
      bodyLimit: BODY_LIMIT,
      schema: {
        summary:
          'Validate and save the settings (atomic write, previous file kept as .bak); apply what can be',
        tags,
        body: ConfigUpdateBody,
      },
    },
    async (req, reply) => {
      const doc = req.body.settings;
      if (!isObj(doc))
        return invalid(reply, 'settings must be an object: the config file’s document', [
          { path: '(top level)', message: 'must be a mapping of settings' },
        ]);
      try {
        return await d.settings.save(doc as SettingsDocument, req.body.revision ?? ifMatch(req));
      } catch (e) {
        if (e instanceof ConfigInvalid) return invalid(reply, e.message, e.problems);
        if (e instanceof ConfigWriteError) return writeFailed(req, reply, e);
        throw e;
      }
    },
  );

  app.post(
    '/api/restart',
    {
      schema: {
        summary: 'Restart the server in place with the saved settings (202, then it reconnects)',
        tags,
      },
    },
    async (req, reply) => {
      if (restarting)
        return sendError(req, reply, {
          status: 409,
          code: 'RESTARTING',
          message: 'A restart is already under way.',
        });
      const problems = await d.settings.restartProblems();
      if (problems.length > 0)
        return reply.code(409).send({
          error: {
            code: 'CONFIG_INVALID',
            message:
              'Not restarting: the config file on disk is invalid now (edited by hand?), and the server would not start on it. Fix it or save the settings again; the running settings are kept.',
            problems,
          },
        });
      if (!d.restart)
        return sendError(req, reply, {
          status: 409,
          code: 'RESTART_UNAVAILABLE',
          message:
            'This server was not started by Spark Control’s own entry point, so it cannot restart itself.',
        });
      restarting = true;
      const restart = d.restart;
      // After the answer left: the restart closes this app, and with it this connection.
      reply.raw.once('finish', () => restart());
      return reply.code(202).send({ restarting: true });
    },
  );
}

/** The revision an `If-Match` header names (`"abc"`, `W/"abc"`); `*` or none: no condition. */
function ifMatch(req: FastifyRequest): string | undefined {
  const h = req.headers['if-match'];
  const value = (Array.isArray(h) ? h[0] : h)?.trim();
  if (!value || value === '*') return undefined;
  return value.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

function writeFailed(req: FastifyRequest, reply: FastifyReply, e: ConfigWriteError) {
  return sendError(req, reply, { status: e.status, code: e.code, message: e.message });
}
