import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';
import { MEMBER_ROLES } from './permissions.js';

const email = z.email().max(254).describe('E-mail address');
const password = z.string().min(PASSWORD_MIN_LENGTH, `At least ${PASSWORD_MIN_LENGTH} characters`).max(PASSWORD_MAX_LENGTH);
const totpCode = z
  .string()
  .regex(/^\d{6}$/, 'Six digits')
  .describe('Current code from the authenticator app');
const timestamp = z.iso.datetime();
const role = z.enum(MEMBER_ROLES);
const invitableRole = z.enum(['admin', 'developer', 'viewer']);
export const bpIdParam = z.string().regex(/^bp_[0-9a-z]{26}$/, 'A Business Partner id (bp_…)');
const userIdParam = z.string().regex(/^usr_[0-9a-z]{26}$/, 'A user id (usr_…)');

export const signUpBody = z.strictObject({
  email,
  password,
  name: z.string().trim().min(1).max(120).describe('Your name'),
  businessName: z.string().trim().min(1).max(120).optional().describe('Name of the new Business Partner (omit when accepting an invitation)'),
  invitationToken: z.string().min(20).max(100).optional().describe('Token from an invitation link: join that BP instead of creating one'),
});

export const logInBody = z.strictObject({ email, password: z.string().min(1).max(PASSWORD_MAX_LENGTH), totpCode: totpCode.optional() });

export const reauthBody = z
  .strictObject({ password: z.string().min(1).max(PASSWORD_MAX_LENGTH).optional(), totpCode: totpCode.optional() })
  .refine((b) => b.password !== undefined || b.totpCode !== undefined, { message: 'Give password or totpCode', path: ['password'] });

export const membershipSchema = z.object({ bpId: z.string(), bpName: z.string(), environment: z.enum(['sandbox', 'live']), role });

export const sessionSchema = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), name: z.string(), totpEnabled: z.boolean() }),
    memberships: z.array(membershipSchema),
    activeBpId: z.string().nullable(),
    csrfToken: z.string().describe('Send in x-csrf-token on every POST/PUT/PATCH/DELETE'),
    reauthUntil: timestamp.nullable().describe('Sensitive actions are allowed until then'),
    expiresAt: timestamp,
  })
  .meta({ id: 'Session' });

export const switchBpBody = z.strictObject({ bpId: bpIdParam });
export const totpSetupResponse = z.object({ secret: z.string(), otpauthUri: z.string() });
export const totpEnableBody = z.strictObject({ code: totpCode });
export const reauthResponse = z.object({ reauthUntil: timestamp });
export const changePasswordBody = z.strictObject({ newPassword: password });

export const bpParams = z.strictObject({ bpId: bpIdParam });
export const memberParams = z.strictObject({ bpId: bpIdParam, userId: userIdParam });
export const invitationParams = z.strictObject({ bpId: bpIdParam, invitationId: z.string().regex(/^inv_[0-9a-z]{26}$/) });
export const tokenParams = z.strictObject({ token: z.string().min(20).max(100) });

export const bpSchema = z
  .object({ id: z.string(), name: z.string(), environment: z.enum(['sandbox', 'live']), createdAt: timestamp, role })
  .meta({ id: 'BusinessPartner' });
export const renameBpBody = z.strictObject({ name: z.string().trim().min(1).max(120) });

export const memberSchema = z
  .object({ userId: z.string(), email: z.string(), name: z.string(), role, totpEnabled: z.boolean(), joinedAt: timestamp })
  .meta({ id: 'Member' });
export const changeRoleBody = z.strictObject({ role });

export const invitationSchema = z
  .object({ id: z.string(), email: z.string(), role: invitableRole, invitedBy: z.string().nullable(), createdAt: timestamp, expiresAt: timestamp })
  .meta({ id: 'Invitation' });
export const inviteBody = z.strictObject({ email, role: invitableRole });
export const inviteResponse = z.object({ invitation: invitationSchema, url: z.string().describe('Share this link with the invitee; it is shown only once') });
export const invitationPreview = z.object({ bpName: z.string(), email: z.string(), role: z.string(), invitedBy: z.string().nullable(), expiresAt: timestamp });
