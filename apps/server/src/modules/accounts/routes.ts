import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../http/problem.js';
import { originOf, SESSION_COOKIE, sessionCookieOptions, sessionOf } from '../../http/session-auth.js';
import * as s from './schema.js';
import type { AccountsService, SessionContext } from './service.js';

export interface AccountsRouteDeps {
  readonly accounts: AccountsService;
  readonly sessionGuard: onRequestAsyncHookHandler;
  readonly publicUrl: string | undefined;
  readonly sessionTtlSeconds: number;
}

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 429: problemSchema };

function renderSession(session: SessionContext): z.infer<typeof s.sessionSchema> {
  return {
    user: session.user,
    memberships: [...session.memberships],
    activeBpId: session.activeBpId,
    csrfToken: session.csrfToken,
    reauthUntil: session.reauthUntil?.toISOString() ?? null,
    expiresAt: session.expiresAt.toISOString(),
  };
}

/** Sign-up, log-in, sessions, re-authentication, two-factor, BP settings, team and invitations. */
export function registerAccountsRoutes(root: FastifyInstance, deps: AccountsRouteDeps): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { accounts, sessionGuard } = deps;
  const tags = ['Dashboard: account'];

  async function startSession(request: FastifyRequest, reply: FastifyReply, token: string) {
    reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(request, deps.publicUrl, deps.sessionTtlSeconds));
    const session = await accounts.resolveSession(token);
    if (session === null) throw new Error('A session just created could not be read back');
    return renderSession(session);
  }

  app.post('/api/auth/signup', {
    schema: {
      tags,
      summary: 'Create an account (and a Business Partner, unless joining by invitation)',
      body: s.signUpBody,
      response: { 201: s.sessionSchema, ...errors, 410: problemSchema },
    },
    handler: async (request, reply) => {
      const { token } = await accounts.signUp(request.body, originOf(request));
      return reply.code(201).send(await startSession(request, reply, token));
    },
  });

  app.post('/api/auth/login', {
    schema: { tags, summary: 'Log in', body: s.logInBody, response: { 200: s.sessionSchema, ...errors } },
    handler: async (request, reply) => {
      const { token } = await accounts.logIn(request.body, originOf(request));
      return startSession(request, reply, token);
    },
  });

  app.post('/api/auth/logout', {
    onRequest: sessionGuard,
    schema: { tags, summary: 'Log out (ends this session)', response: { 204: z.null(), ...errors } },
    handler: async (request, reply) => {
      await accounts.logOut(sessionOf(request).tokenHash);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  });

  app.get('/api/session', {
    onRequest: sessionGuard,
    schema: { tags, summary: 'The current session, memberships and CSRF token', response: { 200: s.sessionSchema, ...errors } },
    handler: async (request) => renderSession(sessionOf(request)),
  });

  app.put('/api/session/active-bp', {
    onRequest: sessionGuard,
    schema: { tags, summary: 'Switch the Business Partner this session works on', body: s.switchBpBody, response: { 200: s.sessionSchema, ...errors } },
    handler: async (request) => {
      await accounts.switchBp(sessionOf(request), request.body.bpId);
      const refreshed = await accounts.resolveSession(request.cookies[SESSION_COOKIE]);
      if (refreshed === null) throw new Error('Session vanished while switching BP');
      return renderSession(refreshed);
    },
  });

  app.post('/api/auth/reauth', {
    onRequest: sessionGuard,
    schema: { tags, summary: 'Confirm your identity before a sensitive action', body: s.reauthBody, response: { 200: s.reauthResponse, ...errors } },
    handler: async (request) => {
      const until = await accounts.reauthenticate(sessionOf(request), request.body, originOf(request));
      return { reauthUntil: until.toISOString() };
    },
  });

  app.post('/api/me/totp/setup', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'Start two-factor enrolment: returns the secret and otpauth URI (needs re-authentication)',
      response: { 200: s.totpSetupResponse, ...errors },
    },
    handler: async (request) => accounts.twoFactor.beginSetup(sessionOf(request)),
  });

  app.post('/api/me/totp/enable', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'Finish enrolment with a current code (needs re-authentication); ends your other sessions',
      body: s.totpEnableBody,
      response: { 204: z.null(), ...errors },
    },
    handler: async (request, reply) => {
      await accounts.twoFactor.enable(sessionOf(request), request.body.code, originOf(request));
      return reply.code(204).send(null);
    },
  });

  app.post('/api/me/totp/disable', {
    onRequest: sessionGuard,
    schema: { tags, summary: 'Turn two-factor off (needs recent re-authentication)', response: { 204: z.null(), ...errors } },
    handler: async (request, reply) => {
      await accounts.twoFactor.disable(sessionOf(request), originOf(request));
      return reply.code(204).send(null);
    },
  });

  app.post('/api/me/password', {
    onRequest: sessionGuard,
    schema: {
      tags,
      summary: 'Change your password (needs re-authentication); ends your other sessions',
      body: s.changePasswordBody,
      response: { 204: z.null(), ...errors },
    },
    handler: async (request, reply) => {
      await accounts.changePassword(sessionOf(request), request.body.newPassword, originOf(request));
      return reply.code(204).send(null);
    },
  });

  // ── Business Partner and team ──────────────────────────────────────────────
  const teamTags = ['Dashboard: team'];

  app.get('/api/bps/:bpId', {
    onRequest: sessionGuard,
    schema: { tags: teamTags, summary: 'A Business Partner you belong to', params: s.bpParams, response: { 200: s.bpSchema, ...errors } },
    handler: async (request) => {
      const access = accounts.authorize(sessionOf(request), request.params.bpId, 'bp:read');
      const bp = await accounts.team.getBp(access.bpId);
      return { ...bp, createdAt: bp.createdAt.toISOString(), role: access.role };
    },
  });

  app.patch('/api/bps/:bpId', {
    onRequest: sessionGuard,
    schema: {
      tags: teamTags,
      summary: 'Rename the Business Partner (owner)',
      params: s.bpParams,
      body: s.renameBpBody,
      response: { 200: s.bpSchema, ...errors },
    },
    handler: async (request) => {
      const access = accounts.authorize(sessionOf(request), request.params.bpId, 'bp:update');
      await accounts.team.renameBp(access, request.body.name, originOf(request));
      const bp = await accounts.team.getBp(access.bpId);
      return { ...bp, createdAt: bp.createdAt.toISOString(), role: access.role };
    },
  });

  app.get('/api/bps/:bpId/members', {
    onRequest: sessionGuard,
    schema: { tags: teamTags, summary: 'Team members', params: s.bpParams, response: { 200: z.object({ items: z.array(s.memberSchema) }), ...errors } },
    handler: async (request) => {
      const access = accounts.authorize(sessionOf(request), request.params.bpId, 'team:read');
      const members = await accounts.team.listMembers(access.bpId);
      return { items: members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() })) };
    },
  });

  app.patch('/api/bps/:bpId/members/:userId', {
    onRequest: sessionGuard,
    schema: {
      tags: teamTags,
      summary: "Change a member's role (admin; needs re-authentication)",
      params: s.memberParams,
      body: s.changeRoleBody,
      response: { 200: s.memberSchema, ...errors },
    },
    handler: async (request) => {
      const session = sessionOf(request);
      const access = accounts.authorize(session, request.params.bpId, 'team:manage');
      const member = await accounts.team.changeRole(session, access, request.params.userId, request.body.role, originOf(request));
      return { ...member, joinedAt: member.joinedAt.toISOString() };
    },
  });

  app.delete('/api/bps/:bpId/members/:userId', {
    onRequest: sessionGuard,
    schema: { tags: teamTags, summary: 'Remove a member, or leave (needs re-authentication)', params: s.memberParams, response: { 204: z.null(), ...errors } },
    handler: async (request, reply) => {
      await accounts.team.removeMember(sessionOf(request), request.params.bpId, request.params.userId, originOf(request));
      return reply.code(204).send(null);
    },
  });

  app.get('/api/bps/:bpId/invitations', {
    onRequest: sessionGuard,
    schema: {
      tags: teamTags,
      summary: 'Pending invitations',
      params: s.bpParams,
      response: { 200: z.object({ items: z.array(s.invitationSchema) }), ...errors },
    },
    handler: async (request) => {
      const access = accounts.authorize(sessionOf(request), request.params.bpId, 'team:read');
      const items = await accounts.team.listInvitations(access.bpId);
      return { items: items.map((i) => ({ ...i, createdAt: i.createdAt.toISOString(), expiresAt: i.expiresAt.toISOString() })) };
    },
  });

  app.post('/api/bps/:bpId/invitations', {
    onRequest: sessionGuard,
    schema: {
      tags: teamTags,
      summary: 'Invite a team member (admin; needs re-authentication); returns the invitation link once',
      params: s.bpParams,
      body: s.inviteBody,
      response: { 201: s.inviteResponse, ...errors },
    },
    handler: async (request, reply) => {
      const session = sessionOf(request);
      const access = accounts.authorize(session, request.params.bpId, 'team:manage');
      const { invitation, token } = await accounts.team.invite(session, access, request.body, originOf(request));
      const base = deps.publicUrl ?? `${request.protocol}://${request.host}`;
      return reply.code(201).send({
        invitation: { ...invitation, createdAt: invitation.createdAt.toISOString(), expiresAt: invitation.expiresAt.toISOString() },
        url: `${base.replace(/\/$/, '')}/invite/${token}`,
      });
    },
  });

  app.delete('/api/bps/:bpId/invitations/:invitationId', {
    onRequest: sessionGuard,
    schema: { tags: teamTags, summary: 'Revoke a pending invitation (admin)', params: s.invitationParams, response: { 204: z.null(), ...errors } },
    handler: async (request, reply) => {
      const access = accounts.authorize(sessionOf(request), request.params.bpId, 'team:manage');
      await accounts.team.revokeInvitation(access, request.params.invitationId, originOf(request));
      return reply.code(204).send(null);
    },
  });

  app.get('/api/invitations/:token', {
    schema: {
      tags: teamTags,
      summary: 'What an invitation link is for (no login needed)',
      params: s.tokenParams,
      response: { 200: s.invitationPreview, ...errors, 410: problemSchema },
    },
    handler: async (request) => {
      const preview = await accounts.team.previewInvitation(request.params.token);
      return { ...preview, expiresAt: preview.expiresAt.toISOString() };
    },
  });

  app.post('/api/invitations/:token/accept', {
    onRequest: sessionGuard,
    schema: {
      tags: teamTags,
      summary: 'Accept an invitation as the logged-in user',
      params: s.tokenParams,
      response: { 200: s.sessionSchema, ...errors, 410: problemSchema },
    },
    handler: async (request) => {
      await accounts.team.acceptInvitation(sessionOf(request), request.params.token, originOf(request));
      const refreshed = await accounts.resolveSession(request.cookies[SESSION_COOKIE]);
      if (refreshed === null) throw new Error('Session vanished while accepting an invitation');
      return renderSession(refreshed);
    },
  });
}
